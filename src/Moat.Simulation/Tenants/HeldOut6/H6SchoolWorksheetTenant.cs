using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut6;

/// <summary>
/// A secondary school running the same AI-assisted worksheet for a whole year group (about 300 students in ten classes of
/// 30, one class per timetable period): the school's learning platform wraps each worksheet question in the same teacher
/// template ("do not give the answer, give a hint"), so hundreds of near-identical requests arrive from one school address
/// in period-sized bursts; students sometimes add their attempt or ask again. One organisation, one key, one NAT address.
/// About 2,000–4,000 requests in a school day.
/// </summary>
public sealed class H6SchoolWorksheetTenant : HeldOut6Tenant
{
    private static readonly string[] QuestionBank =
    [
        "Simplify 12/18.", "Work out 3/4 + 1/6.", "A jacket costs £40 and is reduced by 15%. What is the new price?",
        "Write 0.375 as a fraction in its simplest form.", "Share £60 in the ratio 2:3.", "Work out 2/5 of 35.",
        "A recipe uses 250 g of flour for 4 people. How much flour is needed for 6 people?", "Order these: 0.6, 5/8, 62%.",
        "Expand and simplify 3(x + 4) - 2(x - 1).", "Solve 5x - 7 = 18.", "Find the area of a circle with radius 4 cm. Give your answer to 1 d.p.",
        "The angles in a triangle are x, 2x and 3x. Find x.", "Increase 80 by 35%.", "Convert 2.5 hours into minutes.",
    ];
    private static readonly string[] Attempts = ["", "", "", " i think its {0}", " is it {0}?", " i got {0} but not sure", " idk"];
    private static readonly string[] Again = ["i still dont get it", "can you give another hint", "is {0} right?", "what do i do next", "ok thanks"];

    private readonly SimulatedOrg _org;
    private readonly string _ip;
    private readonly double _utcOffset;
    private readonly List<string> _worksheet;
    private readonly string _system;

    public H6SchoolWorksheetTenant(string id, TenantContext context)
        : base(id, context)
    {
        _org = NewOrg(keys: 1, tokensPerMinute: 1_000_000, useCase: "education (school)");
        Orgs = [_org];
        _ip = FixedIps(1)[0];
        _utcOffset = PickFrom(0.0, 1.0, 10.0, -5.0, -6.0, 12.0);
        _worksheet = QuestionBank.OrderBy(_ => Random.Next()).Take(Random.Next(6, 10)).ToList();
        if (Chance(0.5))
        {
            _worksheet.Add(Pick(Data.Gsm8k).Question); // a word problem copied from a textbook
        }
        _system = "You are a maths helper for Year 8 students doing a worksheet set by their teacher. Do not give the final answer. " +
                  "Give one hint at a time and ask the student what they think the next step is. Keep replies under 80 words.";
    }

    public override string Kind => "h6-school-worksheet";
    public override bool IsAbusive => false;

    protected override void Build(List<SimulatedRequest> requests)
    {
        var localMidnight = Context.Start.UtcDateTime.Date.AddHours(-_utcOffset);
        var day = new DateTimeOffset(localMidnight, TimeSpan.Zero);
        var periods = new[] { 8.75, 9.75, 11.0, 12.0, 13.75, 14.75 };
        var classes = 10;
        for (var c = 0; c < classes; c++)
        {
            var dayOffset = Context.Start > day + TimeSpan.FromHours(periods[c % periods.Length]) ? 1 : 0;
            var periodStart = day + TimeSpan.FromDays(dayOffset) + TimeSpan.FromHours(periods[c % periods.Length] + (c >= periods.Length ? 0.05 : 0));
            for (var s = 0; s < 30; s++)
            {
                var at = periodStart + TimeSpan.FromMinutes(5 + Random.NextDouble() * 10);
                foreach (var question in _worksheet)
                {
                    if (Chance(0.12))
                    {
                        continue; // did this one without help
                    }
                    var first = question + Fill(PickFrom(Attempts), Random.Next(2, 60));
                    var turns = new List<string> { first };
                    while (turns.Count < 4 && Chance(0.35))
                    {
                        turns.Add(Fill(PickFrom(Again), Random.Next(2, 60)));
                    }
                    var convo = Conversation(_org, at, _ip, "OpenAI/JS 4.67.3", _system, turns, () => HumanGap(40), temperature: 0.5, maxTokens: 200, keyIndex: 0);
                    requests.AddRange(convo);
                    at = convo[^1].Timestamp + HumanGap(120);
                }
            }
        }
    }
}
