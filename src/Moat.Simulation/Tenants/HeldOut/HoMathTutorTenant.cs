using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A tutoring product: many students ask word problems step by step under a tutor system prompt, follow up on the steps,
/// and the product's problem bank (its own and textbook problems) makes many questions repeat across students.
/// </summary>
public sealed class HoMathTutorTenant : HeldOutTenant
{
    public HoMathTutorTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(1 + Random.Next(3), tokensPerMinute: 400_000, useCase: "education")];
    }

    public override string Kind => "ho-math-tutor";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate() => InTimeOrder(Sessions());

    private IEnumerable<SimulatedRequest> Sessions()
    {
        var org = Orgs[0];
        var bank = Enumerable.Range(0, 40 + Random.Next(80))
            .Select(_ => Random.NextDouble() < 0.6 || Data.Gsm8k.Count == 0 ? Text.WordProblem() : Pick(Data.Gsm8k).Question).ToList();
        var system = Pick(new[]
        {
            "You are Mathie, a patient maths tutor for students aged 10-16. Guide the student through the solution one step at a time and check their understanding. Do not just give the final answer.",
            "You are a tutor on a homework-help platform. Explain clearly, use small steps, and encourage the student. Use LaTeX for formulas.",
            "Act as a Socratic maths coach: ask a guiding question when the student is stuck, otherwise explain the next step.",
        });
        var agent = Pick(new[] { "TutorApp/5.2 (iOS)", "TutorApp/5.2 (Android)", "OpenAI/Python 1.58.1" });
        var prefix = RandomPrefix();
        var mean = 20.0 + Random.Next(70);
        var at = Context.Start + DiurnalGap(Context.Start, mean);
        while (at < End)
        {
            var problem = Random.NextDouble() < 0.75 ? Pick(bank) : Text.WordProblem();
            var turns = 1 + Random.Next(5);
            foreach (var request in Conversation(org, at, IpInRange(prefix), agent, system, Text.StudentAsk(problem), turns, Text.StudentFollowUp,
                medianGapSeconds: 50, temperature: 0.3, maxTokens: 800))
            {
                yield return request;
            }
            at += DiurnalGap(at, mean);
        }
    }
}
