using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A maths-tutoring product (in the spirit of Khanmigo or Photomath's explanations): students type or paste grade-school
/// word problems after school, the product wraps them in a tutor system prompt that asks for step-by-step working, and
/// some students follow up ("why did you divide by 4?", "I got 18, is that right?") while most read the working and leave.
/// One organisation, two keys (web and mobile backends), a Node backend, a few cloud addresses. About 450–1,000 requests a
/// day in the evening of its market.
/// </summary>
public sealed class H6MathTutorTenant : HeldOut6Tenant
{
    private static readonly string[] StudentOpeners = ["", "", "", "help ", "can u help with this: ", "hw question: ", "i dont get this one: "];
    private static readonly string[] StudentFollowUps =
    [
        "why did you divide there?", "i got {0}, is that right?", "can you explain step 2 again", "what does 'altogether' mean here",
        "is there an easier way?", "ok can you give me a similar one to practice", "wait why do we multiply", "so the answer is {0}?",
        "my teacher said to use a bar model, can you do it that way", "thank you!!", "how would i check my answer",
    ];

    private readonly SimulatedOrg _org;
    private readonly List<string> _ips;
    private readonly string _agent;
    private readonly double _utcOffset;
    private readonly double _peakGap;
    private readonly double _followUpRate;
    private readonly string _system;

    public H6MathTutorTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 800_000, useCase: "maths tutoring for students");
        Orgs = [_org];
        _ips = FixedIps(3);
        _agent = PickFrom("OpenAI/JS 4.67.3", "OpenAI/JS 4.73.1", "OpenAI/Python 1.54.4");
        _utcOffset = PickFrom(-8.0, -6.0, -5.0, 0.0, 1.0, 10.0);
        _peakGap = 45 + Random.NextDouble() * 70;
        _followUpRate = 0.2 + Random.NextDouble() * 0.2;
        _system = PickFrom(
            "You are a patient maths tutor for students aged 9 to 14. Solve the problem step by step, explaining each step in simple words, " +
            "then give the final answer on its own line. Encourage the student.",
            "You are Mathy, a friendly tutor. Break every word problem into small numbered steps, show the calculation for each step, and finish " +
            "with 'Answer: <number>'. If the student asks a follow-up, answer it kindly and briefly.");
    }

    public override string Kind => "h6-math-tutor";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, _peakGap, t => HomeworkWeight(t, _utcOffset));
            if (at >= End)
            {
                break;
            }
            var turns = new List<string> { Problem() };
            if (Chance(_followUpRate))
            {
                var count = Chance(0.3) ? 2 : 1;
                for (var i = 0; i < count; i++)
                {
                    turns.Add(Fill(PickFrom(StudentFollowUps), Random.Next(3, 300)));
                }
            }
            requests.AddRange(Conversation(_org, at, Pick(_ips), _agent, _system, turns, () => HumanGap(60), temperature: 0.3,
                maxTokens: 900, keyIndex: Chance(0.6) ? 0 : 1));
        }
    }

    private string Problem()
    {
        if (Chance(0.8))
        {
            var q = Pick(Data.Gsm8k).Question;
            if (Chance(0.3))
            {
                q = q.ToLowerInvariant();
            }
            return PickFrom(StudentOpeners) + q;
        }
        // Short arithmetic the student types themselves.
        var a = Random.Next(2, 13);
        var b = Random.Next(2, 13);
        return PickFrom(
            Fill("what is {0}/{1} + {2}/{3}", a, b, Random.Next(1, 9), Random.Next(2, 13)),
            Fill("how do i find {0}% of {1}", Random.Next(5, 95), Random.Next(20, 900)),
            Fill("solve {0}x + {1} = {2}", a, b, Random.Next(20, 120)),
            Fill("whats the area of a triangle with base {0} and height {1}", a, b),
            Fill("round {0}.{1}{2} to the nearest tenth", Random.Next(1, 99), a % 10, b % 10));
    }
}
