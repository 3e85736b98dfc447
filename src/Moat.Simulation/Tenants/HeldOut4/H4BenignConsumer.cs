using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>
/// A consumer assistant app (a startup's chat product or a browser extension) relaying its users' conversations through
/// one backend: diurnal sessions of one to a dozen turns, everyday requests, pasted emails, the odd homework question
/// asked step by step. Sizes range from a few dozen to a few thousand requests a day.
/// </summary>
public sealed class H4ChatProductTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _sessions;
    private readonly string _system;
    private readonly string[] _ips;
    private readonly string _agent;
    private readonly double? _temperature;
    private readonly int? _maxTokens;

    public H4ChatProductTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 400_000, useCase: PickFrom<string?>("chatbot", null, "consumer assistant app", "other"));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, -3, 0, 1, 2, 3, 5.5, 7, 8, 9, 10);
        _sessions = LogNormalCount(130, 1.0, 6, 1800);
        var app = PickFrom("Nimbus", "Pocket Sage", "Chatterly", "Asko", "Lumi", "Brightnote", "Ferro AI", "Kora");
        _system = PickFrom(
            $"You are {app}, a friendly assistant. Be concise and helpful. Today's date is {context.Start:yyyy-MM-dd}.",
            $"You are {app}, an AI assistant inside a browser extension. Answer clearly; use markdown when it helps.",
            $"You are a helpful assistant. The user is on the {app} mobile app; keep answers short enough to read on a phone.");
        _ips = Enumerable.Range(0, Between(1, 4)).Select(_ => CloudIp()).ToArray();
        _agent = Pick(ServerAgents);
        _temperature = PickFrom<double?>(0.7, 0.7, 1.0, null);
        _maxTokens = PickFrom<int?>(1024, 2048, null);
    }

    public override string Kind => "h4-chat-product";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var s = 0; s < _sessions; s++)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Consumer(LocalHour(at, _tz)));
            all.AddRange(Conversation(_org, start, Pick(_ips), _agent, _system, Turns(), () => HumanGap(50), _temperature, _maxTokens));
        }
        return Ordered(all);
    }

    private IEnumerable<string> Turns()
    {
        var roll = Random.NextDouble();
        yield return roll switch
        {
            < 0.66 => HumanAsk(),
            < 0.78 => Casualise(AlpacaAsk(Pick(Data.AlpacaInstructions))),
            < 0.84 => PickFrom("can you explain how to solve this step by step? ", "help me with my homework: ", "", "I'm stuck on this one\n\n") + Pick(Data.Gsm8k).Question,
            < 0.94 => PickFrom("Summarise this:\n\n", "Can you write a polite reply to this?\n\n", "What is this email asking me to do?\n\n", "make this sound more professional:\n\n") + PastedEmail(),
            _ => PickFrom("what should I cook tonight with chicken, rice and spinach", "Plan a 3-day trip to " + PickFrom("Lisbon", "Kyoto", "Mexico City", "Edinburgh"),
                "write a birthday message for my sister who just started university", "how do I get my toddler to sleep through the night",
                "is it worth upgrading from an iPhone 12", "explain inflation like I'm 12"),
        };
        var more = Turns(0.55, 10) - 1;
        for (var i = 0; i < more; i++)
        {
            yield return Chance(0.8) ? FollowUp() : HumanAsk();
        }
    }
}

/// <summary>
/// A maths-tutoring app for 9–14 year olds: students paste or type grade-school word problems (many straight from
/// their textbooks, the same kind as GSM8K) and the tutor answers step by step; students then ask why, check their own
/// attempt or ask for a practice problem. Busy after school and in the evening.
/// </summary>
public sealed class H4MathHomeworkTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _sessions;
    private readonly string _system;
    private readonly string _ip;

    public H4MathHomeworkTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(2, 300_000, useCase: PickFrom<string?>("education", "chatbot", null));
        Orgs = [_org];
        _tz = PickFrom(-7, -5, 0, 1, 5.5, 8, 10);
        _sessions = LogNormalCount(200, 0.8, 30, 1500);
        var name = PickFrom("Sprout", "Mathy", "Professor Pi", "Count", "Numo");
        _system = $"You are {name}, a friendly maths tutor for students aged 9–14. Work through each problem step by step, explain every calculation in simple words, and finish with 'Answer: ...'. If the student shows an attempt, check it first and point out exactly where it went wrong. Never be condescending.";
        _ip = CloudIp();
    }

    public override string Kind => "h4-math-homework";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var s = 0; s < _sessions; s++)
        {
            var start = RandomTimeWhen(Context.Start, End, at => AfterSchool(LocalHour(at, _tz)));
            all.AddRange(Conversation(_org, start, _ip, "OpenAI/JS 4.77.3", _system, Turns(), () => HumanGap(70), 0.3, 800));
        }
        return Ordered(all);
    }

    private IEnumerable<string> Turns()
    {
        var roll = Random.NextDouble();
        yield return roll switch
        {
            < 0.45 => PickFrom("", "", "help with this one: ", "I don't get this question\n", "how do you do this: ", "Q4 of my homework: ") + Pick(Data.Gsm8k).Question,
            < 0.85 => Chance(0.3) ? Casualise(H4Text.WordProblem(Random)) : H4Text.WordProblem(Random),
            _ => PickFrom("what is a common denominator", "How do I divide fractions?", "what's the difference between area and perimeter",
                "how do you work out percentages in your head", "Why is a negative times a negative positive?", "how do I find the mean of a list of numbers",
                "what does 'ratio 3:2' mean", "How do I round 4.567 to one decimal place?"),
        };
        var more = Turns(0.5, 6) - 1;
        for (var i = 0; i < more; i++)
        {
            yield return PickFrom(
                "why did you multiply there?", $"I got {Between(3, 400)}, where did I go wrong?", "can you give me a similar problem to practise?",
                "I still don't understand step 2", "ok is there an easier way", "can you check my answer: " + Between(5, 900), "what does 'remaining' mean here",
                "thanks!! next one: " + H4Text.WordProblem(Random), "explain it like I'm 10", "so the answer is " + Between(2, 300) + "?");
        }
    }
}

/// <summary>
/// A school's learning platform: a teacher assigns one worksheet (the same 8–12 questions) and a year group of 150–400
/// students works through it in class periods and at home, in one thread each, copying the questions verbatim or in
/// their own words, with "explain step by step" tutoring. The teacher also asks for an answer key.
/// </summary>
public sealed class H4ClassroomWorksheetTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly string[] _worksheet;
    private readonly int _students;
    private readonly string _system;
    private readonly string[] _ips;

    public H4ClassroomWorksheetTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(1, 500_000, useCase: PickFrom<string?>("education", "chatbot", null));
        Orgs = [_org];
        _tz = PickFrom(-8, -6, -5, 0, 1, 2, 10);
        _worksheet = Chance(0.6)
            ? Enumerable.Range(0, Between(8, 12)).Select(_ => H4Text.WordProblem(Random)).ToArray()
            : [.. H4Text.ScienceWorksheet(Random, Between(8, 12))];
        _students = Between(150, 400);
        var school = PickFrom("Riverside Academy", "St. Brigid's", "Hollins Middle School", "Eastgate College", "Lakeview Junior High");
        _system = $"You are a study helper for Year {Between(6, 9)} students at {school}. Help students understand their worksheet: explain step by step, ask guiding questions, and do not simply hand over final answers. Keep language simple.";
        _ips = [CloudIp(), CloudIp()];
    }

    public override string Kind => "h4-classroom-worksheet";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        // The school day (local) that overlaps the simulated day most.
        var midnight = Context.Start - TimeSpan.FromHours(LocalHour(Context.Start, _tz));
        if (midnight + TimeSpan.FromHours(15) < Context.Start)
        {
            midnight += TimeSpan.FromDays(1);
        }
        for (var s = 0; s < _students; s++)
        {
            DateTimeOffset start = Chance(0.75)
                ? midnight + TimeSpan.FromHours(8.25 + Between(0, 5) * 1.0) + TimeSpan.FromMinutes(Uniform(2, 15))
                : midnight + TimeSpan.FromHours(Uniform(16, 22));
            all.AddRange(Conversation(_org, start, Pick(_ips), "OpenAI/Python 1.54.4", _system, StudentTurns(), () => HumanGap(110), 0.4, 600, keyIndex: 0, keepMessages: 8));
        }
        // The teacher prepares an answer key and a variant sheet in the morning.
        var teacher = midnight + TimeSpan.FromHours(Uniform(6.5, 7.8));
        all.AddRange(Conversation(_org, teacher, Pick(_ips), "OpenAI/Python 1.54.4", null,
            ["Write a worked answer key for this worksheet:\n\n" + string.Join("\n", _worksheet.Select((q, i) => $"{i + 1}. {q}")), "Now make a slightly easier version with different numbers for students who need support"],
            () => HumanGap(240), 0.4, 2000, keyIndex: 0));
        return Ordered(all);
    }

    private IEnumerable<string> StudentTurns()
    {
        var copies = Chance(0.45);
        for (var i = 0; i < _worksheet.Length; i++)
        {
            if (Chance(0.12))
            {
                continue;
            }
            var q = _worksheet[i];
            yield return copies ? q : PickFrom($"question {i + 1}: {q}", $"how do i do number {i + 1}? {q}", Casualise(q), $"{q} explain step by step pls", q);
            if (Chance(0.25))
            {
                yield return PickFrom("i still dont get it", "can you explain it another way", $"is the answer {Between(2, 120)}?", "why?", "ok what's the first step");
            }
        }
    }
}

/// <summary>
/// An interactive-fiction and story-writing app: long sessions in which the user steers a story turn by turn at high
/// temperature, sometimes asking for several alternative continuations (n &gt; 1) or pressing "regenerate", which resends
/// the identical request. Evening-heavy.
/// </summary>
public sealed class H4FictionStudioTenant : H4BenignTenant
{
    private readonly SimulatedOrg _org;
    private readonly double _tz;
    private readonly int _sessions;
    private readonly double _temperature;
    private readonly string _ip;
    private readonly string _agent;

    public H4FictionStudioTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 400_000, useCase: PickFrom<string?>("creative writing", "chatbot", "other", null));
        Orgs = [_org];
        _tz = PickFrom(-8, -5, 0, 1, 9);
        _sessions = LogNormalCount(70, 0.9, 6, 700);
        _temperature = PickFrom(0.9, 1.0, 1.1);
        _ip = CloudIp();
        _agent = Pick(ServerAgents);
    }

    public override string Kind => "h4-fiction-studio";

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var all = new List<SimulatedRequest>();
        for (var s = 0; s < _sessions; s++)
        {
            var start = RandomTimeWhen(Context.Start, End, at => Consumer(LocalHour(at, _tz)));
            var (system, opening) = H4Text.StoryPremise(Random);
            var options = Chance(0.3) ? 3 : 1;
            var session = Conversation(_org, start, _ip, _agent, system, StoryTurns(opening), () => HumanGap(40), _temperature, Between(3, 8) * 100, n: options);
            all.AddRange(session);
            // "Regenerate": the same request again a few seconds later.
            foreach (var r in session.Where(_ => Chance(0.08)).ToList())
            {
                all.Add(r with { Timestamp = r.Timestamp + TimeSpan.FromSeconds(Uniform(3, 20)), Reply = null });
            }
        }
        return Ordered(all);
    }

    private IEnumerable<string> StoryTurns(string opening)
    {
        yield return opening;
        var more = Turns(0.88, 40) - 1;
        for (var i = 0; i < more; i++)
        {
            yield return H4Text.StoryAction(Random);
        }
    }
}
