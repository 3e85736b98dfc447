using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A localisation vendor: batch jobs of documents through one fixed instruction template, steady worker pacing close to its token quota.</summary>
public sealed class HoTranslationVendorTenant : HeldOutTenant
{
    private readonly double _gapSeconds;

    public HoTranslationVendorTenant(string id, TenantContext context) : base(id, context)
    {
        _gapSeconds = 3 + Random.NextDouble() * 5;
        // About 1,100 tokens per request (prompt + translation): sized so the batches run at 85-95% of the quota.
        Orgs = [NewOrg(2, tokensPerMinute: (long)(60 / _gapSeconds * 1100 / (0.85 + Random.NextDouble() * 0.1)), useCase: "translation")];
    }

    public override string Kind => "ho-translation-vendor";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = Pick(new[] { "python-requests/2.32.3", "LocaliseFlow/2.8", "OpenAI/Python 1.58.1" });
        var template = Pick(new[]
        {
            "Translate the text below from English into {0}. Preserve line breaks, numbers and product names. Output the translation only.\n\n{1}",
            "You are a professional translator. Target language: {0}. Register: formal business. Text:\n\"\"\"\n{1}\n\"\"\"",
            "<source lang=\"en\" target=\"{0}\">\n{1}\n</source>",
        });
        var system = Random.NextDouble() < 0.5 ? "You translate documents faithfully. Never summarise or add notes." : null;
        var languages = HeldOutText.Languages.OrderBy(_ => Random.Next()).Take(1 + Random.Next(3)).ToList();
        var at = StartWithin(6);
        var jobs = 2 + Random.Next(3);
        for (var job = 0; job < jobs && at < End; job++)
        {
            var language = Pick(languages);
            var stop = at + TimeSpan.FromMinutes(30 + Random.Next(90));
            while (at < stop && at < End)
            {
                var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, language, Text.TranslationSource());
                yield return Request(org, at, ip, agent, system, null, text, temperature: 0.1, maxTokens: 2048, keyIndex: job);
                at += SteadyGap(_gapSeconds, 0.15);
            }
            at += TimeSpan.FromMinutes(20 + Random.Next(240));
        }
    }
}
