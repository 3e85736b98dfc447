using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// An internal operations agent built on a ReAct-style agent framework (LangChain's AgentExecutor and its many clones): a
/// long fixed system prompt listing the tools and the Thought/Action/Observation format; each task is an employee question
/// or a scheduled job, followed by two to six loop turns whose user message is the tool's observation, with the served
/// assistant turns carried in the history. Temperature 0, fixed templates. One organisation, two keys (chat front-end and
/// cron runner), one server address. About 400–1,500 requests a day, mostly in office hours.
/// </summary>
public sealed class H6AgentFrameworkTenant : HeldOut6Tenant
{
    private const string System =
        "Answer the following questions as best you can. You have access to the following tools:\n\n" +
        "search_orders(query: str) -> JSON: look up customer orders by id, email or status.\n" +
        "get_deployments(since: str) -> JSON: list deployments and their status.\n" +
        "query_metrics(metric: str, window: str) -> JSON: read a time series from the metrics store.\n" +
        "create_ticket(title: str, body: str) -> str: open a ticket in the issue tracker.\n" +
        "read_runbook(name: str) -> str: read an operations runbook.\n\n" +
        "Use the following format:\n\nQuestion: the input question you must answer\nThought: you should always think about what to do\n" +
        "Action: the action to take, should be one of [search_orders, get_deployments, query_metrics, create_ticket, read_runbook]\n" +
        "Action Input: the input to the action\nObservation: the result of the action\n... (this Thought/Action/Action Input/Observation can repeat N times)\n" +
        "Thought: I now know the final answer\nFinal Answer: the final answer to the original input question\n\nBegin!";

    private static readonly string[] Questions =
    [
        "What is the status of order {0}?", "Which deployments failed since yesterday and why?", "Is p95 latency of the checkout service above 800ms this week?",
        "Open a ticket for the {1} that {2}.", "How many orders are stuck in 'pending payment' right now?", "Summarise yesterday's incidents for the standup.",
        "What does the runbook say about restarting the queue workers?", "Did error rates go up after the last deploy of the billing service?",
        "Find the customer with email {3} and tell me their last three orders.", "Daily job: list orders older than 5 days that have not shipped.",
    ];

    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6AgentFrameworkTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 600_000, useCase: "internal operations agent");
        Orgs = [_org];
        _ip = FixedIps(1)[0];
        _utcOffset = PickFrom(-8.0, -5.0, 0.0, 1.0, 8.0);
        _peakGap = 150 + Random.NextDouble() * 250;
    }

    public override string Kind => "h6-agent-framework";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => 0.92 * OfficeWeight(t, _utcOffset) + 0.08);
            if (at >= End)
            {
                break;
            }
            var question = Fill(PickFrom(Questions), Random.Next(100_000, 999_999), Pick(Phrases.Products), Pick(Phrases.Issues),
                $"customer{Random.Next(10, 9999)}@example.com");
            Task(requests, at, question, LocalHour(at, _utcOffset) is < 7 or > 19 ? 1 : 0);
        }
    }

    private void Task(List<SimulatedRequest> requests, DateTimeOffset at, string question, int key)
    {
        var history = new List<ChatMessage>();
        var first = Request(_org, at, _ip, "OpenAI/Python 1.54.4", System, null, $"Question: {question}", temperature: 0, maxTokens: 512, keyIndex: key);
        requests.Add(first);
        var previous = first;
        var previousUser = $"Question: {question}";
        var steps = Random.Next(2, 7);
        for (var s = 0; s < steps; s++)
        {
            history.Add(new ChatMessage("user", previousUser));
            history.Add(ServedReply(previous, "Thought: I should look this up.\nAction: search_orders\nAction Input: latest"));
            at += TimeSpan.FromSeconds(0.3 + Random.NextDouble() * 3); // tool latency, not a person
            var observation = "Observation: " + Observation();
            previous = Request(_org, at, _ip, "OpenAI/Python 1.54.4", System, history, observation, temperature: 0, maxTokens: 512, keyIndex: key);
            requests.Add(previous);
            previousUser = observation;
        }
    }

    private string Observation() => Random.Next(5) switch
    {
        0 => $"{{\"order_id\": \"{Random.Next(100_000, 999_999)}\", \"status\": \"{PickFrom("shipped", "pending_payment", "processing", "cancelled")}\", \"items\": {Random.Next(1, 6)}, \"updated\": \"2 days ago\"}}",
        1 => $"[{{\"service\": \"{PickFrom("billing", "checkout", "search", "auth")}\", \"version\": \"v{Random.Next(1, 9)}.{Random.Next(0, 40)}\", \"status\": \"{PickFrom("succeeded", "failed", "rolled_back")}\"}}]",
        2 => $"{{\"metric\": \"latency_p95_ms\", \"values\": [{Random.Next(300, 900)}, {Random.Next(300, 900)}, {Random.Next(300, 1500)}]}}",
        3 => $"Ticket OPS-{Random.Next(1000, 9999)} created.",
        _ => "Runbook: 1. Drain the queue. 2. Restart workers one at a time. 3. Check the dead-letter queue. 4. Page on-call if backlog > 10k.",
    };
}
