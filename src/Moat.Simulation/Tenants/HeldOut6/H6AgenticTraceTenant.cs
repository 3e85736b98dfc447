using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// An agentic-trace harvester, after the Moonshot- and MiniMax-attributed campaigns in Anthropic's 2026 account (agentic
/// reasoning, tool use, coding and tool orchestration): a harness gives the model a coding-agent system prompt with tool
/// definitions and a repository task, then plays the environment itself, inventing the tool results (file contents, test
/// failures, search hits) for three to six steps while carrying back the served assistant turns, to collect whole agent
/// trajectories without running anything. Several trajectories run in parallel across two organisations with four keys
/// each, data-centre addresses, around the clock. About 5,000–7,000 requests a day.
/// </summary>
public sealed class H6AgenticTraceTenant : HeldOut6Tenant
{
    private const string System =
        "You are an autonomous software engineering agent working in a repository. Tools (call one per turn as JSON {\"tool\": name, \"args\": {...}}):\n" +
        "- list_files(path)\n- read_file(path)\n- edit_file(path, old, new)\n- run_tests(pattern)\n- search_code(query)\n- finish(summary)\n" +
        "Think through the problem before each tool call and explain your plan. When the task is complete, call finish.";
    private static readonly string[] Repos = ["acme/payments-api", "octo/web-dashboard", "datalab/etl-jobs", "nimbus/cli", "kestrel/mobile-backend"];

    private readonly List<(SimulatedOrg Org, int Key)> _accounts = [];
    private readonly List<string> _ips;

    public H6AgenticTraceTenant(string id, TenantContext context)
        : base(id, context)
    {
        var a = NewOrg(keys: 4, tokensPerMinute: 2_000_000, useCase: "coding agent", suffix: "-p");
        var b = NewOrg(keys: 4, tokensPerMinute: 2_000_000, useCase: "developer tools", suffix: "-q");
        Orgs = [a, b];
        foreach (var org in Orgs)
        {
            for (var k = 0; k < 4; k++)
            {
                _accounts.Add((org, k));
            }
        }
        _ips = FixedIps(3);
    }

    public override string Kind => "h6-agentic-trace";
    public override bool IsAbusive => true;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start + TimeSpan.FromMinutes(Random.NextDouble() * 20);
        while (true)
        {
            at += PoissonGap(70);
            if (at >= End)
            {
                break;
            }
            var (org, key) = Pick(_accounts);
            var task = Random.Next(3) switch
            {
                0 => $"Repository {PickFrom(Repos)}: add a function that {Pick(Phrases.CodeTasks)} and make the tests pass.",
                1 => $"Repository {PickFrom(Repos)}: users report `{Pick(Phrases.CodeErrors)}` in production. Find and fix the bug.",
                _ => $"Repository {PickFrom(Repos)}: implement the stub below so that all tests pass.\n\n```python\n{Pick(Data.HumanEval).Prompt}```",
            };
            var ip = Pick(_ips);
            var steps = Random.Next(3, 7);
            var turns = new List<string> { task };
            for (var s = 0; s < steps; s++)
            {
                turns.Add("Tool result:\n" + ToolResult());
            }
            foreach (var request in Conversation(org, at, ip, "OpenAI/Python 1.58.1", System, turns, () => TimeSpan.FromSeconds(2 + Random.NextDouble() * 6),
                temperature: 0.6, maxTokens: 4096, keyIndex: key))
            {
                requests.Add(Harvest(request));
            }
        }
    }

    private string ToolResult() => Random.Next(4) switch
    {
        0 => $"src/\n  {PickFrom("handlers", "services", "utils")}/\n    {PickFrom("orders", "users", "billing", "sync")}.py\n  tests/\n    test_{PickFrom("orders", "users", "billing", "sync")}.py\nREADME.md\npyproject.toml",
        1 => $"FAILED tests/test_{PickFrom("orders", "sync", "billing")}.py::test_{PickFrom("empty_input", "roundtrip", "retry", "timezone")} - AssertionError: assert {Random.Next(0, 50)} == {Random.Next(0, 50)}\n{Random.Next(1, 6)} failed, {Random.Next(10, 80)} passed in {Random.Next(1, 9)}.{Random.Next(10, 99)}s",
        2 => $"```python\n{Pick(Data.HumanEval).Prompt}    pass\n```",
        _ => $"{Random.Next(1, 5)} matches:\nsrc/services/{PickFrom("orders", "billing")}.py:{Random.Next(10, 300)}: def {PickFrom("process", "retry", "parse", "merge")}_{PickFrom("batch", "records", "items")}(",
    };
}
