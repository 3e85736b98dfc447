using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>
/// A school's licence: one worksheet of ~15-25 problems, 300 students each asking for a few of them to be solved step by step,
/// clustered in class periods behind the school's NAT, with a trickle of homework in the evening.
/// </summary>
public sealed class HoSchoolWorksheetTenant : HeldOutTenant
{
    public HoSchoolWorksheetTenant(string id, TenantContext context) : base(id, context)
    {
        Orgs = [NewOrg(3, tokensPerMinute: 500_000, useCase: "education")];
    }

    public override string Kind => "ho-school-worksheet";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var org = Orgs[0];
        var worksheet = Enumerable.Range(0, 15 + Random.Next(11))
            .Select(_ => Random.NextDouble() < 0.7 || Data.Gsm8k.Count == 0 ? Text.WordProblem() : Pick(Data.Gsm8k).Question).ToList();
        var nat = RandomPrefix();
        var homePrefixes = Enumerable.Range(0, 40).Select(_ => RandomPrefix()).ToArray();
        // Class periods in the school's morning and early afternoon (local time), homework in the evening.
        var localMidnight = Context.Start - TimeSpan.FromHours(UtcOffsetHours);
        DateTimeOffset Local(double hour)
        {
            var t = localMidnight + TimeSpan.FromHours(hour);
            return t < Context.Start ? t + TimeSpan.FromDays(1) : t;
        }
        var periods = new List<(DateTimeOffset Start, double Minutes, bool Home)>();
        foreach (var hour in new[] { 8.5, 9.5, 11, 13.5, 14.5 }.Where(_ => Random.NextDouble() < 0.7))
        {
            periods.Add((Local(hour), 50, false));
        }
        periods.Add((Local(18 + Random.NextDouble() * 2), 180, true));
        var requests = new List<SimulatedRequest>();
        for (var student = 0; student < 300; student++)
        {
            var (start, minutes, home) = periods[Random.Next(periods.Count)];
            var at = start + TimeSpan.FromMinutes(Random.NextDouble() * minutes * 0.5);
            var ip = home ? IpInRange(Pick(homePrefixes)) : IpInRange(nat);
            var agent = home ? ClientAgent() : "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/131.0";
            var asks = 1 + Random.Next(7);
            for (var a = 0; a < asks; a++)
            {
                var problem = worksheet[Random.Next(worksheet.Count)];
                var opening = Random.NextDouble() < 0.8 ? $"solve step by step: {problem}" : Text.StudentAsk(problem);
                foreach (var request in Conversation(org, at, ip, agent, null, opening, 1 + Random.Next(2), Text.StudentFollowUp, medianGapSeconds: 60, temperature: null))
                {
                    requests.Add(request);
                    at = request.Timestamp;
                }
                at += HumanGap(120);
            }
        }
        return InTimeOrder(requests);
    }
}
