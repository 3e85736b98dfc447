using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A language-service provider's machine-translation pipeline (the "MT + post-editing" workflow translation agencies run):
/// each job is a client document split into segments, sent one segment per request with a fixed system prompt carrying the
/// target language, register and a glossary, at temperature 0, by a worker pool, in bursts as project managers launch jobs
/// during the working day. Single-turn, high volume, highly templated. One organisation, two keys (production, staging),
/// one data-centre address. About 1,500–5,000 requests a day.
/// </summary>
public sealed class H6TranslationVendorTenant : HeldOut6Tenant
{
    private static readonly string[] Registers = ["formal", "neutral", "friendly marketing", "technical"];
    private static readonly string[] Domains = ["e-commerce", "software UI", "legal", "medical devices", "travel", "consumer electronics"];

    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly double _utcOffset;

    public H6TranslationVendorTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 3_000_000, useCase: "translation");
        Orgs = [_org];
        _ip = FixedIps(1)[0];
        _utcOffset = PickFrom(0.0, 1.0, 2.0, 3.0, -5.0);
    }

    public override string Kind => "h6-translation-vendor";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var jobs = Random.Next(4, 12);
        for (var j = 0; j < jobs; j++)
        {
            var at = RandomTimeWhen(Context.Start, End, t => 0.9 * OfficeWeight(t, _utcOffset) + 0.1);
            var target = Pick(Phrases.Languages);
            var register = PickFrom(Registers);
            var domain = PickFrom(Domains);
            var key = Chance(0.9) ? 0 : 1;
            var system = $"You are a professional {domain} translator. Translate the user's text from English into {target}. Register: {register}. " +
                         $"Keep placeholders like {{name}} and HTML tags unchanged. Glossary: \"{Pick(Phrases.Companies)}\" stays in English; " +
                         $"\"{Pick(Phrases.Products)}\" → use the client's approved term. Output only the translation.";
            var segments = new List<string>();
            var targetCount = Random.Next(80, 700);
            while (segments.Count < targetCount)
            {
                var source = Chance(0.7) ? Pick(Data.AlpacaInstructions).Output : Pick(Data.BenignInstructions).Text;
                segments.AddRange(Sentences(source));
            }
            var workers = Random.Next(2, 7);
            foreach (var segment in segments.Take(targetCount))
            {
                requests.Add(Request(_org, at, _ip, "OpenAI/Python 1.51.2", system, null, segment, temperature: 0,
                    maxTokens: Math.Max(64, segment.Length), keyIndex: key));
                at += TimeSpan.FromSeconds((0.8 + Random.NextDouble() * 2.5) / workers);
            }
        }
    }
}
