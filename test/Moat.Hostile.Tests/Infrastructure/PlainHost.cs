using Moat.Core.Quotas;
using Moat.Testing;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>One real host in front of the fake upstream and one generous customer, shared by a test class.</summary>
public sealed class PlainHost : IAsyncLifetime
{
    public MoatTestHost Host { get; private set; } = null!;
    public Customer Customer { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => { o.MinWords = 3; o.MaxWords = 12; });
        Customer = await Host.CreateCustomerAsync(tier: "enterprise", limits: new QuotaLimits(1_000_000, 1_000_000_000, null));
        Http = Host.Http(Customer.Secret);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
