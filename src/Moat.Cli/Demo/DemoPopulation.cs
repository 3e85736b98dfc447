using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Moat.Core.Access;
using Moat.Storage;

namespace Moat.Cli.Demo;

/// <summary>The demo's simulated customers: organisations with keys and a behaviour each, driven over real HTTP.</summary>
internal sealed class DemoPopulation
{
    private readonly List<DemoCustomer> _customers;
    private readonly DemoPrompts _prompts;

    private DemoPopulation(List<DemoCustomer> customers, DemoPrompts prompts)
    {
        _customers = customers;
        _prompts = prompts;
    }

    public int Count => _customers.Count;
    public string SampleKey => _customers[0].Secret;

    public static async Task<DemoPopulation> SeedAsync(IServiceProvider services, DemoPrompts prompts, CancellationToken cancellationToken)
    {
        var orgs = services.GetRequiredService<OrganizationStore>();
        var keys = services.GetRequiredService<ApiKeyStore>();
        (string Name, string Tier, DemoBehaviour Behaviour)[] plan =
        [
            ("Northwind Support", "standard", DemoBehaviour.SupportBot),
            ("Contoso Writers", "standard", DemoBehaviour.Assistant),
            ("Fabrikam Research", "enterprise", DemoBehaviour.Assistant),
            ("Tailspin Labs", "standard", DemoBehaviour.BenchmarkHarvester),
            ("Litware Trial", "trial", DemoBehaviour.Assistant),
        ];
        var customers = new List<DemoCustomer>();
        foreach (var (name, tier, behaviour) in plan)
        {
            var org = await orgs.CreateAsync(name, tier, OrgState.Active, $"ops@{name.Split(' ')[0].ToLowerInvariant()}.example", "chatbot", cancellationToken);
            var key = await keys.CreateAsync(org.Id, "production", cancellationToken)
                ?? throw new InvalidOperationException("The demo organisation vanished while seeding.");
            customers.Add(new DemoCustomer(org.Id, key.Secret, behaviour));
        }
        return new DemoPopulation(customers, prompts);
    }

    public async Task<DemoTraffic> RunAsync(Uri gateway, double requestsPerSecond, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var traffic = new DemoTraffic();
        var delay = TimeSpan.FromSeconds(1 / Math.Max(0.1, requestsPerSecond));
        var random = new Random(7);
        var inFlight = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var customer = _customers[random.Next(_customers.Count)];
                inFlight.Add(SendAsync(http, customer, random.Next(), traffic, cancellationToken));
                inFlight.RemoveAll(t => t.IsCompleted);
                await Task.Delay(delay, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(inFlight);
        return traffic;
    }

    private async Task SendAsync(HttpClient http, DemoCustomer customer, int seed, DemoTraffic traffic, CancellationToken cancellationToken)
    {
        var (system, user) = customer.Behaviour switch
        {
            DemoBehaviour.SupportBot => ("You are the support assistant of Northwind. Answer politely and briefly.", Pick(_prompts.Benign, seed)),
            DemoBehaviour.BenchmarkHarvester => ("Solve the problem. Think step by step and show all your reasoning.", Pick(_prompts.Benchmark, seed)),
            _ => ((string?)null, Pick(_prompts.Benign, seed)),
        };
        var messages = new List<object>();
        if (system is not null)
        {
            messages.Add(new { role = "system", content = system });
        }
        messages.Add(new { role = "user", content = user });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = seed % 3 == 0 ? "moat-small" : "moat-large", messages, max_tokens = 256 }),
        };
        request.Headers.Authorization = new("Bearer", customer.Secret);
        request.Headers.UserAgent.ParseAdd(customer.Behaviour == DemoBehaviour.BenchmarkHarvester ? "python-requests/2.31" : "OpenAI/NET 2.1");
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            traffic.Record(response.IsSuccessStatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            traffic.Record(false);
        }
    }

    private static string Pick(IReadOnlyList<string> items, int seed) => items[(seed & int.MaxValue) % items.Count];

    private sealed record DemoCustomer(string OrgId, string Secret, DemoBehaviour Behaviour);
}

internal enum DemoBehaviour
{
    Assistant,
    SupportBot,
    BenchmarkHarvester,
}

/// <summary>Counters of the demo traffic.</summary>
internal sealed class DemoTraffic
{
    private long _sent;
    private long _succeeded;

    public long Sent => Interlocked.Read(ref _sent);
    public long Succeeded => Interlocked.Read(ref _succeeded);
    public long Refused => Sent - Succeeded;

    public void Record(bool success)
    {
        Interlocked.Increment(ref _sent);
        if (success)
        {
            Interlocked.Increment(ref _succeeded);
        }
    }
}
