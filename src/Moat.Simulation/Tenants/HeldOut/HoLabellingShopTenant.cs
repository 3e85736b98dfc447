using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A data-labelling shop: scripted batches classifying or extracting from short texts with one fixed template, very short outputs.</summary>
public sealed class HoLabellingShopTenant : HeldOutTenant
{
    private static readonly string[] Templates =
    [
        "Classify the sentiment of the following review as positive, negative or neutral. Reply with one word.\n\nReview: {0}",
        "Label the topic of this message. Allowed labels: billing, delivery, account, technical, other. Output only the label.\n\n{0}",
        "Extract the product and company mentioned in the text as JSON {{\"product\": ..., \"company\": ...}}. Use null when missing.\nText: {0}",
        "Is the following text toxic? Answer yes or no.\n\"{0}\"",
        "Which language is this written in? Answer with an ISO 639-1 code.\n{0}",
    ];

    public HoLabellingShopTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(3), tokensPerMinute: 250_000, useCase: "data-labelling")];
    }

    public override string Kind => "ho-labelling-shop";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var ip = RandomPublicIp();
        var agent = Pick(new[] { "python-requests/2.32.3", "LabelOps-runner/1.12", "aiohttp/3.11.11" });
        var template = Pick(Templates);
        var gap = 2 + Random.NextDouble() * 3;
        var at = StartWithin(8);
        for (var batch = 1 + Random.Next(3); batch > 0 && at < End; batch--)
        {
            var stop = at + TimeSpan.FromMinutes(20 + Random.Next(70));
            while (at < stop && at < End)
            {
                var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Text.ShortText());
                yield return Request(org, at, ip, agent, null, null, prompt, temperature: 0, maxTokens: Pick(new[] { 5, 10, 30, 60 }));
                at += SteadyGap(gap, 0.1);
            }
            at += TimeSpan.FromMinutes(30 + Random.Next(300));
        }
    }
}
