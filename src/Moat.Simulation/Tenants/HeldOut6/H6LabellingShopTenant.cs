using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A data-labelling shop doing LLM pre-labelling for clients (the "model-assisted labelling" offered by annotation vendors):
/// each project classifies supplied text (support tickets by intent, reviews by sentiment, queries by topic) with a fixed
/// prompt listing the labels, temperature 0, a tiny max_tokens and logprobs on, so that low-confidence items go to human
/// annotators. Batches run through the client's working day in the shop's time zone. One organisation, one key per
/// project (three), one office egress. About 2,000–6,000 requests a day.
/// </summary>
public sealed class H6LabellingShopTenant : HeldOut6Tenant
{
    private static readonly (string Task, string Labels)[] Projects =
    [
        ("Classify the customer message by intent.", "refund, replacement, technical_issue, delivery, cancellation, billing, other"),
        ("Classify the sentiment of the review.", "positive, neutral, negative"),
        ("Label the topic of the user request.", "writing, coding, advice, factual, math, creative, other"),
        ("Does the text contain a request for personal data? Answer yes or no.", "yes, no"),
    ];

    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly double _utcOffset;

    public H6LabellingShopTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 1_500_000, useCase: "data annotation");
        Orgs = [_org];
        _ip = FixedIps(1)[0];
        _utcOffset = PickFrom(8.0, 3.0, 5.5, 2.0, -3.0);
    }

    public override string Kind => "h6-labelling-shop";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var batches = Random.Next(5, 14);
        for (var b = 0; b < batches; b++)
        {
            var project = Random.Next(Projects.Length);
            var (task, labels) = Projects[project];
            var system = $"You are an annotation assistant. {task} Answer with exactly one label from: {labels}.";
            var at = RandomTimeWhen(Context.Start, End, t => OfficeWeight(t, _utcOffset));
            var size = Random.Next(150, 600);
            var ua = PickFrom("OpenAI/Python 1.54.4", "python-requests/2.32.3");
            for (var i = 0; i < size; i++)
            {
                requests.Add(Request(_org, at, _ip, ua, system, null, $"Text: {Item(project)}\nLabel:", temperature: 0, maxTokens: 5,
                    logprobs: true, keyIndex: project % 3));
                at += TimeSpan.FromSeconds(0.4 + Random.NextDouble() * 1.6);
            }
        }
    }

    private string Item(int project) => project switch
    {
        0 => $"{PickFrom(Phrases.CustomerOpeners)} my {Pick(Phrases.Products)} {Pick(Phrases.Issues)}. {Pick(Phrases.CustomerAsks)}".Trim(),
        1 => $"{PickFrom("Loved it.", "Meh.", "Terrible experience.", "Pretty good overall.", "Would not buy again.")} The {Pick(Phrases.Products)} " +
             $"{PickFrom("works as described", Pick(Phrases.Issues), "is fine for the price", "exceeded my expectations")}.",
        2 => Pick(Data.BenignInstructions).Text,
        _ => Chance(0.5) ? Pick(Data.BenignInstructions).Text : $"Please send me your date of birth and the {Pick(Phrases.Products)} serial number.",
    };
}
