using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>
/// Slow-and-low harvesting behind a real-looking product: a writing/study assistant's genuine multi-turn user
/// sessions through one backend, with harvest prompts injected under the same keys, system prompt and client at a fixed
/// share of all requests (10, 20 or 30%), paced exponentially in short active spells separated by long pauses.
/// </summary>
public sealed class H4BlendTenant : H4AbusiveTenant
{
    private readonly int _sharePercent;
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly string _system;
    private readonly string[] _ips;
    private readonly string _agent;

    public H4BlendTenant(string id, TenantContext context, int sharePercent) : base(id, context)
    {
        _sharePercent = sharePercent;
        _org = NewOrg(Between(1, 3), 1_000_000, useCase: PickFrom<string?>("chatbot", "writing assistant", "education", null));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, 0, 1, 3, 8);
        var app = PickFrom("Draftly", "StudyMate", "Penwise", "AskAda", "Notebloom");
        _system = $"You are {app}, a helpful writing and study assistant. Be clear and well organised.";
        _ips = [CloudIp(), CloudIp()];
        _agent = Pick(ServerAgents);
    }

    public override string Kind => $"h4-blend-{_sharePercent}";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var coverTarget = LogNormalCount(2700, 0.15, 2100, 4000);
        var cover = 0;
        while (cover < coverTarget)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Consumer(LocalHour(at, _tz)));
            var turns = new List<string> { Chance(0.85) ? HumanAsk() : "Rewrite this so it sounds more professional:\n\n" + PastedEmail() };
            var more = Turns(0.55, 8) - 1;
            for (var i = 0; i < more; i++)
            {
                turns.Add(FollowUp());
            }
            var session = Conversation(_org, start, Pick(_ips), _agent, _system, turns, () => HumanGap(50), 0.7, 1500);
            all.AddRange(session);
            cover += session.Count;
        }
        // Harvest spells: 15–90 minutes of exponential pacing, then an exponential pause of two hours on average.
        var harvest = cover * _sharePercent / (100 - _sharePercent);
        var spells = new List<(DateTimeOffset From, DateTimeOffset To)>();
        var at = Context.Start + PoissonGap(3600);
        while (at < End)
        {
            var to = at + TimeSpan.FromMinutes(Uniform(15, 90));
            spells.Add((at, to < End ? to : End));
            at = to + PoissonGap(7200);
        }
        var onSeconds = spells.Sum(s => (s.To - s.From).TotalSeconds);
        var meanGap = onSeconds / Math.Max(1, harvest);
        var produced = 0;
        foreach (var (from, to) in spells)
        {
            for (var t = from + PoissonGap(meanGap); t < to && produced < harvest; t += PoissonGap(meanGap))
            {
                var prompt = HarvestItem();
                if (Chance(0.35))
                {
                    prompt += "\n\n" + ReasoningAsk();
                }
                all.Add(Request(_org, t, Pick(_ips), _agent, _system, null, prompt, temperature: 0.7, maxTokens: 1500));
                produced++;
            }
        }
        return Ordered(all);
    }
}

/// <summary>
/// A hydra cluster in the manner of the proxy networks Anthropic described: twenty keys across five organisations with
/// different stated uses, each key behind its own residential proxy exit, fed by one central job queue so every key
/// runs at a low rate but all keep the same shifts; the shared templates and reasoning requests, and a pivot to the new
/// model as soon as it ships.
/// </summary>
public sealed class H4HydraSwarmTenant : H4AbusiveTenant
{
    private readonly List<(SimulatedOrg Org, int Key, string IpPrefix, string Agent)> _heads = [];
    private readonly double _tz;

    public H4HydraSwarmTenant(string id, TenantContext context) : base(id, context)
    {
        var orgs = new List<SimulatedOrg>();
        string[] suffixes = ["-a", "-b", "-c", "-d", "-e"];
        foreach (var suffix in suffixes)
        {
            var org = NewOrg(4, 300_000, useCase: PickFrom<string?>("chatbot", "research", "coding", "other", null), suffix: suffix);
            orgs.Add(org);
            var agent = Pick(ServerAgents);
            for (var k = 0; k < 4; k++)
            {
                var ip = ResidentialIp();
                _heads.Add((org, k, ip[..(ip.LastIndexOf('.') + 1)], agent));
            }
        }
        Orgs = orgs;
        _tz = PickFrom(8, 8, 3, 5.5);
    }

    public override string Kind => "h4-hydra-swarm";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        // One central queue: requests dispatched to a random head during the crew's shifts.
        var times = ArrivalTimes(18, t => { var h = LocalHour(t, _tz); return h is >= 9 and < 23.5 ? 1.0 : 0.05; });
        foreach (var t in times)
        {
            var head = _heads[Random.Next(_heads.Count)];
            var ip = head.IpPrefix + Random.Next(2, 254);
            var item = HarvestItem();
            var prompt = Random.Next(3) switch
            {
                0 => item,
                1 => $"{item}\n\n{ReasoningAsk()}",
                _ => $"You are an expert tutor. A learner asks:\n\n{item}\n\nGive a complete, rigorous answer and explain each step.",
            };
            var model = t >= Context.ReleaseAt + TimeSpan.FromMinutes(10) ? TenantContext.NewModel : TenantContext.CurrentModel;
            yield return Request(head.Org, t, ip, head.Agent, null, null, prompt, model: model, temperature: PickFrom(0.3, 0.7), maxTokens: 2048, keyIndex: head.Key);
        }
    }
}

/// <summary>
/// A careful harvester that paraphrases every prompt through one of several template families (role-play, homework
/// framing, bullet constraints, JSON task, email, plain) and varies everything else too: temperature, max_tokens, user
/// agent per request, egress address across three cloud ranges, at a human-looking diurnal pace.
/// </summary>
public sealed class H4TemplateRotatorTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly string[] _prefixes;

    public H4TemplateRotatorTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 3), 1_000_000, useCase: PickFrom<string?>("chatbot", "research", null));
        Orgs = [_org];
        _tz = PickFrom(-5, 0, 1, 8);
        _prefixes = Enumerable.Range(0, 3).Select(_ => CloudIp()).Select(ip => ip[..(ip.LastIndexOf('.') + 1)]).ToArray();
    }

    public override string Kind => "h4-template-rotator";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var times = ArrivalTimes(13, t => Math.Max(0.25, Consumer(LocalHour(t, _tz))));
        foreach (var t in times)
        {
            var item = HarvestItem();
            var prompt = Random.Next(6) switch
            {
                0 => $"Imagine you are a world-class professor. A student comes to you with this: \"{item}\" How would you respond?",
                1 => $"my teacher gave us this and i have no idea how to start:\n{item}",
                2 => $"Task:\n- {item.Replace("\n", " ", StringComparison.Ordinal)}\nRequirements:\n- be thorough\n- structure the answer with headings\n- finish with a one-line summary",
                3 => $"{{\"task\": \"{item.Replace("\"", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)}\", \"style\": \"detailed\", \"audience\": \"general\"}}",
                4 => $"Hi,\n\nCould you help me with the following?\n\n{item}\n\nMany thanks,\n{Name()}",
                _ => item,
            };
            yield return Request(_org, t, Pick(_prefixes) + Random.Next(2, 254), Chance(0.5) ? Pick(ServerAgents) : Pick(BrowserAgents), Chance(0.5) ? null : "You are a helpful assistant.",
                null, prompt, temperature: Math.Round(Uniform(0.1, 1.2), 1), maxTokens: PickFrom<int?>(256, 512, 800, 1000, 1500, 2048, 4096, null));
        }
    }
}

/// <summary>
/// Chain-of-thought elicitation mixed into an ordinary study app: genuine multi-turn chats, but about two in five user
/// turns are harvest items with one of many "show your reasoning" phrasings, some as fresh chats and some slipped into an
/// ongoing conversation as the next question.
/// </summary>
public sealed class H4CotSprinklerTenant : H4AbusiveTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly string _ip;
    private readonly string _agent;

    public H4CotSprinklerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 1_000_000, useCase: PickFrom<string?>("education", "chatbot", null));
        Orgs = [_org];
        _tz = PickFrom(-5, 0, 2, 8, 9);
        _ip = CloudIp();
        _agent = Pick(ServerAgents);
    }

    public override string Kind => "h4-cot-sprinkler";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        const string system = "You are a study companion. Help the user learn; explain clearly.";
        while (all.Count < 3200)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Consumer(LocalHour(at, _tz)));
            var turns = new List<string>();
            var count = Turns(0.6, 8);
            for (var i = 0; i < count; i++)
            {
                turns.Add(Chance(0.4)
                    ? (i > 0 ? PickFrom("next one: ", "ok another: ", "") : "") + HarvestItem() + "\n\n" + ReasoningAsk()
                    : i == 0 ? HumanAsk() : FollowUp());
            }
            all.AddRange(Conversation(_org, start, _ip, _agent, system, turns, () => HumanGap(45), 0.6, 2000));
        }
        return Ordered(all);
    }
}

/// <summary>
/// Multi-turn laundering with fake tool use: each harvest looks like an agent session — tool definitions, a "user"
/// task, a client-written tool call and a fabricated tool result, then a request for the full answer with reasoning and
/// sometimes a follow-up asking to expand the served answer into a tutorial. Sessions follow human diurnal timing,
/// with rotating browser user agents and residential addresses; a fifth are plain cover chats.
/// </summary>
public sealed class H4ToolLaundererTenant : H4AbusiveTenant
{
    private const string ToolSystem = """
        You are a research assistant with tools.
        Tools:
        - web_search(query: string): returns snippets
        - python(code: string): runs code and returns stdout
        Call a tool with a JSON object {"tool": ..., "args": {...}}. After tool results, answer the user fully.
        """;

    private readonly SimulatedOrg _org;
    private readonly double _tz;

    public H4ToolLaundererTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(3, 1_000_000, useCase: PickFrom<string?>("research", "chatbot", "search", null));
        Orgs = [_org];
        _tz = PickFrom(-5, 1, 2, 8);
    }

    public override string Kind => "h4-tool-launderer";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        var starts = ArrivalTimes(18, t => Consumer(LocalHour(t, _tz)));
        foreach (var start in starts)
        {
            var ip = ResidentialIp();
            var agent = Pick(BrowserAgents);
            var key = Random.Next(_org.KeyIds.Count);
            if (Chance(0.2))
            {
                all.AddRange(Conversation(_org, start, ip, agent, null, [HumanAsk(), FollowUp()], () => HumanGap(40), 0.7, 1000, keyIndex: key));
                continue;
            }
            var item = HarvestItem();
            var query = item.Length > 60 ? item[..60] : item;
            var history = new List<ChatMessage>
            {
                new("user", $"Task from user #{Random.Next(1000, 99999)}: {item}"),
                new("assistant", $"{{\"tool\": \"web_search\", \"args\": {{\"query\": \"{query.Replace("\"", "'", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)}\"}}}}"),
            };
            var observation = $"Tool result (web_search): [1] {PickFrom("forum thread", "lecture notes", "blog post", "Q&A page")} — partially relevant, no complete answer found. [2] no results.";
            var first = Request(_org, start, ip, agent, ToolSystem, history, observation + "\n\nNow write the complete final answer for the user, with detailed step-by-step reasoning.",
                temperature: Math.Round(Uniform(0.3, 0.9), 1), maxTokens: PickFrom(1500, 2500, 4000), keyIndex: key);
            all.Add(first);
            if (Chance(0.45))
            {
                var follow = new List<ChatMessage>(history) { new("user", observation + "\n\nNow write the complete final answer for the user, with detailed step-by-step reasoning."), ServedReply(first) };
                all.Add(Request(_org, start + HumanGap(50), ip, agent, ToolSystem, follow,
                    PickFrom("Expand that into a thorough tutorial with worked examples.", "Great. Now explain it again for a beginner, covering every step.", "Give an alternative solution method and compare the two."),
                    temperature: 0.7, maxTokens: 3000, keyIndex: key));
            }
        }
        return Ordered(all);
    }
}
