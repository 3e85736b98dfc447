using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants;

/// <summary>
/// Everyday products with many end users behind one organisation (dev population hard negatives). The tutor answers
/// students' word problems step by step from a problem bank, with follow-up questions in about a third of the sessions;
/// the writer produces one-shot long-form content (posts, emails, product descriptions) under a product system prompt.
/// </summary>
public sealed class ProductTenant : SimulatedTenant
{
    private static readonly string[] WriterAsks =
    [
        "Write a blog post about {0}.", "Draft a friendly newsletter intro about {0}.", "Write a product description for {0}.",
        "Write a LinkedIn post announcing {0}.", "Give me an outline for an article on {0}.", "Write an email to customers about {0}.",
    ];

    private static readonly string[] Subjects =
    [
        "our new reusable water bottle", "spring gardening tips", "remote work productivity", "a neighbourhood bakery opening",
        "budget travel in Portugal", "a beginner's guide to running", "home energy savings", "our summer sale", "pet adoption",
        "learning a second language", "a local charity run", "the benefits of cycling to work", "meal prep for busy weeks",
    ];

    private static readonly string[] TutorAsks =
    [
        "Can you show me how to solve it step by step?", "I'm stuck, please explain the steps.", "How do I work this out? Show each step.",
        "Help me solve this one step by step please", "What are the steps to get the answer?",
    ];

    private static readonly string[] Clients = ["node-fetch/3.3", "axios/1.7.2", "OpenAI/JS 4.56.0", "Go-http-client/2.0", "okhttp/4.12.0"];

    private readonly bool _tutor;
    private readonly string _ask;
    private readonly string _client;
    private readonly double _meanGapSeconds;
    private readonly string _system;
    private readonly List<string> _bank = [];

    public ProductTenant(string id, TenantContext context, bool tutor) : base(id, context)
    {
        _tutor = tutor;
        _meanGapSeconds = 15 + Random.Next(45);
        _system = tutor
            ? "You are a patient maths tutor for children aged 9 to 13. Explain each step simply and check the student's understanding."
            : "You are WriteWell, a writing assistant for small businesses. Match the user's tone; keep it under 400 words unless asked.";
        Orgs = [NewOrg(3, tokensPerMinute: 600_000, useCase: tutor ? "education" : "content-generation")];
        _ask = Pick(TutorAsks);
        _client = Pick(Clients);
        if (tutor)
        {
            _bank.AddRange(Enumerable.Range(0, 120 + Random.Next(120)).Select(_ => Pick(Data.Gsm8k).Question));
        }
    }

    public override string Kind => _tutor ? "tutoring-product" : "writing-product";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var at = Context.Start + PoissonGap(_meanGapSeconds);
        while (at < End)
        {
            var first = _tutor
                ? $"{Pick(_bank)} {_ask}"
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(WriterAsks), Pick(Subjects));
            var opening = Request(org, at, ip, _client, _system, null, first, temperature: 0.7, maxTokens: _tutor ? 600 : 900);
            yield return opening;
            if (Random.NextDouble() < (_tutor ? 0.35 : 0.2))
            {
                var follow = _tutor ? "I don't understand the second step, can you explain it differently?" : "Make it shorter and more casual.";
                yield return Request(org, at + TimeSpan.FromSeconds(40), ip, _client, _system,
                    [new ChatMessage("user", first), ServedReply(opening)], follow, temperature: 0.7, maxTokens: 600);
            }
            at += PoissonGap(_meanGapSeconds);
        }
    }
}
