using System.Text.RegularExpressions;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A model-extraction attack of the kind PRADA (Juuti et al., 2019) was designed to detect: starting from a small seed set
/// of natural queries, the attacker synthesises new queries as small perturbations of earlier ones (swap one word for a
/// near-synonym, change a number, add or drop a clause), the text analogue of Jacobian-based augmentation, to map the
/// teacher's decision boundary with few natural samples. Here it extracts two task behaviours: a review/ticket classifier
/// (temperature 0, one-token answers with logprobs, as a surrogate classifier is trained on soft labels) and a word-problem
/// solver (numbers perturbed in each problem, full solutions requested). One organisation, one key, one data-centre
/// address, a steady loop around the clock. About 9,000 requests a day.
/// </summary>
public sealed partial class H6PradaProbeTenant : HeldOut6Tenant
{
    private static readonly (string Word, string[] Alternatives)[] Synonyms =
    [
        ("good", ["decent", "great", "fine", "okay"]), ("bad", ["poor", "awful", "weak", "disappointing"]), ("love", ["like", "adore", "enjoy"]),
        ("broke", ["stopped working", "failed", "cracked"]), ("fast", ["quick", "speedy", "prompt"]), ("slow", ["sluggish", "delayed", "late"]),
        ("cheap", ["inexpensive", "affordable", "low-cost"]), ("happy", ["pleased", "satisfied", "content"]), ("never", ["rarely", "not once", "hardly ever"]),
        ("the", ["this", "my", "that"]), ("very", ["really", "quite", "extremely", "somewhat"]),
    ];
    private static readonly string[] Clauses = [" but the delivery was late", " and support was helpful", " although it is a bit loud", " for the price", " overall"];

    private readonly SimulatedOrg _org;
    private readonly string _ip;

    public H6PradaProbeTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 1_000_000, useCase: PickFrom("customer analytics", "education"));
        Orgs = [_org];
        _ip = FixedIps(1)[0];
    }

    public override string Kind => "h6-prada-probe";
    public override bool IsAbusive => true;

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    protected override void Build(List<SimulatedRequest> requests)
    {
        const string classifier = "Classify the sentiment of the text as positive, neutral or negative. Answer with one word.";
        var at = Context.Start + TimeSpan.FromMinutes(Random.NextDouble() * 90);
        while (at < End)
        {
            if (Chance(0.6))
            {
                // A seed review, then a chain where each query perturbs the previous one.
                var text = $"The {Pick(Phrases.Products)} is very {PickFrom("good", "bad", "slow", "fast", "cheap")} and I {PickFrom("love", "never use")} it.";
                var chain = Random.Next(8, 25);
                for (var i = 0; i < chain && at < End; i++)
                {
                    requests.Add(Harvest(Request(_org, at, _ip, "python-requests/2.32.3", classifier, null, text, temperature: 0, maxTokens: 1, logprobs: true, keyIndex: 0)));
                    at += SteadyGap(6, 0.4);
                    text = Perturb(text);
                }
            }
            else
            {
                var question = Pick(Data.Gsm8k).Question;
                var variants = Random.Next(4, 10);
                for (var i = 0; i < variants && at < End; i++)
                {
                    var variant = i == 0 ? question : Number().Replace(question, m => (int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture) + Random.Next(1, 9)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    requests.Add(Harvest(Request(_org, at, _ip, "python-requests/2.32.3", null, null, variant + "\nGive the full solution and the final answer.",
                        temperature: 0, maxTokens: 1024, keyIndex: 0)));
                    at += SteadyGap(12, 0.4);
                }
            }
            at += TimeSpan.FromSeconds(5 + Random.NextDouble() * 30);
        }
    }

    private string Perturb(string text)
    {
        var roll = Random.NextDouble();
        if (roll < 0.7)
        {
            var candidates = Synonyms.Where(s => text.Contains(" " + s.Word + " ", StringComparison.Ordinal)).ToList();
            if (candidates.Count > 0)
            {
                var (word, alternatives) = Pick(candidates);
                var index = text.IndexOf(" " + word + " ", StringComparison.Ordinal);
                return text[..(index + 1)] + PickFrom(alternatives) + text[(index + 1 + word.Length)..];
            }
        }
        if (roll < 0.85 && text.EndsWith('.'))
        {
            return text[..^1] + PickFrom(Clauses) + ".";
        }
        var words = text.Split(' ').ToList();
        if (words.Count > 6)
        {
            words.RemoveAt(Random.Next(1, words.Count - 1));
        }
        return string.Join(' ', words);
    }
}
