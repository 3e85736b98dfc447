using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A marketing-copy product (Jasper / Copy.ai style templates): marketers in many small businesses fill in a template form
/// (product description, ad headlines, email subject lines, blog intro, social captions) and get three variants per click
/// (n = 3, high temperature); almost every request is a one-off, and a few users click "make it shorter" or "more playful".
/// One organisation, two keys, backend addresses, business hours. About 300–900 requests a day.
/// </summary>
public sealed class H6MarketingContentTenant : HeldOut6Tenant
{
    private static readonly string[] Templates =
    [
        "Write a product description for {0}'s {1}. Audience: {2}. Tone: {3}. 80–120 words.",
        "Write 5 Google Ads headlines (max 30 characters) for {0}'s {1}. Audience: {2}.",
        "Generate 10 email subject lines for a {4} campaign from {0} about their {1}. Tone: {3}.",
        "Write a blog post introduction about how a {1} can help {2}. Brand: {0}. Tone: {3}.",
        "Write 3 Instagram captions for {0} announcing a {4} on the {1}. Include 3 hashtags each.",
        "Write a LinkedIn post from the founder of {0} about launching a new {1}. Tone: {3}.",
        "Rewrite this tagline in 5 different ways: \"{0} — the {1} that just works.\"",
        "Write an FAQ with 6 questions and answers about {0}'s {1} for {2}.",
    ];
    private static readonly string[] Audiences = ["busy parents", "small business owners", "students", "first-time buyers", "retirees", "remote workers", "gamers"];
    private static readonly string[] Tones = ["friendly", "professional", "playful", "bold", "luxury", "witty"];
    private static readonly string[] Occasions = ["Black Friday", "spring sale", "product launch", "back-to-school", "anniversary", "holiday"];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly double _utcOffset;
    private readonly double _peakGap;

    public H6MarketingContentTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 1_500_000, useCase: "marketing content generation");
        Orgs = [_org];
        _ips = FixedIps(4);
        _utcOffset = PickFrom(-8.0, -6.0, -5.0, 0.0, 1.0);
        _peakGap = 35 + Random.NextDouble() * 80;
    }

    public override string Kind => "h6-marketing-content";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        const string system = "You are an expert copywriter. Follow the brief exactly. Do not invent prices or claims that are not in the brief.";
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => 0.8 * OfficeWeight(t, _utcOffset) + 0.2 * OfficeWeight(t, _utcOffset + 6));
            if (at >= End)
            {
                break;
            }
            var company = Chance(0.5) ? Pick(Phrases.Companies) : PickFrom("Bloom & Co", "Northpeak Coffee", "Tidy Paws", "Lumen Studio", "Harbor Yoga", "Kiddo Books");
            var brief = Fill(PickFrom(Templates), company, Pick(Phrases.Products), PickFrom(Audiences), PickFrom(Tones), PickFrom(Occasions));
            var turns = new List<string> { brief };
            if (Chance(0.08))
            {
                turns.Add(PickFrom("Make it shorter.", "More playful please.", "Less salesy.", "Add an emoji to each.", "Translate to Spanish."));
            }
            requests.AddRange(Conversation(_org, at, Pick(_ips), "OpenAI/JS 4.77.0", system, turns, () => HumanGap(30), temperature: 0.9,
                maxTokens: 600, keyIndex: Random.Next(2), n: 3));
        }
    }
}
