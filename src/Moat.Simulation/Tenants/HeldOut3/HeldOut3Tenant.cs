using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// Shared helpers of the third held-out population (h3- kinds), written blind to the detector and to the other
/// populations: diurnal clocks, gradual model adoption, and this population's own text generators.
/// </summary>
public abstract class HeldOut3Tenant : SimulatedTenant
{
    protected HeldOut3Tenant(string id, TenantContext context) : base(id, context)
    {
        // Honest customers move to the new model when someone gets round to it; many not on release day at all.
        AdoptsNewModelAfter = Random.NextDouble() < 0.45 ? TimeSpan.FromMinutes(20 + Random.Next(0, 900)) : null;
    }

    /// <summary>Relative activity (0..1) of people awake at a local hour: low at night, peaks late morning and evening.</summary>
    protected static double Diurnal(double localHour, double eveningWeight = 0.8)
    {
        var morning = Math.Exp(-Math.Pow((localHour - 11) / 2.8, 2));
        var evening = eveningWeight * Math.Exp(-Math.Pow((localHour - 20.5) / 2.2, 2));
        return 0.04 + 0.96 * Math.Min(1, morning + evening);
    }

    /// <summary>Office hours (Mon–Fri style): ~0 outside 8–19 local.</summary>
    protected static double Office(double localHour) =>
        localHour < 7.5 || localHour > 19.5 ? 0.01 : localHour < 9 || localHour > 18 ? 0.35 : localHour is > 12.2 and < 13.3 ? 0.5 : 1.0;

    protected static IEnumerable<SimulatedRequest> InTimeOrder(IEnumerable<SimulatedRequest> requests) => requests.OrderBy(r => r.Timestamp);

    protected static List<ChatMessage> Turns(params ChatMessage[] messages) => [.. messages];

    protected static ChatMessage User(string text) => new("user", text);

    protected static ChatMessage Assistant(string text) => new("assistant", text);



    protected int Between(int lo, int hiInclusive) => Random.Next(lo, hiInclusive + 1);

    /// <summary>A human-written request (AlpacaEval-style), as people type into a chat box.</summary>
    protected string HumanAsk()
    {
        var text = Pick(Data.BenignInstructions).Text;
        return Chance(0.25) ? Casualise(text) : text;
    }

    protected string Casualise(string text) => Casualise(text, ["hey ", "hi, ", "quick q: ", "ok so ", "pls ", ""], 0.15, [" thx", " thanks!", " :)", " asap", "??"]);

    /// <summary>A harvest-pool prompt: Alpaca instruction, seed task, GSM8K question or a human-style request.</summary>
    protected string HarvestPrompt(out string sourceId)
    {
        var roll = Random.NextDouble();
        if (roll < 0.55 && Data.AlpacaInstructions.Count > 0)
        {
            var a = Pick(Data.AlpacaInstructions);
            sourceId = a.Id;
            return AlpacaAsk(a);
        }
        if (roll < 0.65 && Data.SeedTasks.Count > 0)
        {
            var s = Pick(Data.SeedTasks);
            sourceId = s.Id;
            return string.IsNullOrWhiteSpace(s.Input) ? s.Instruction : $"{s.Instruction}\n{s.Input}";
        }
        if (roll < 0.85 && Data.Gsm8k.Count > 0)
        {
            var g = Pick(Data.Gsm8k);
            sourceId = g.Id;
            return g.Question;
        }
        var b = Pick(Data.BenignInstructions);
        sourceId = b.Id;
        return b.Text;
    }

    protected string HarvestPrompt() => HarvestPrompt(out _);

    protected static string Letter(int i) => ((char)('A' + i)).ToString();

    // ---- vocabulary ----

    protected static readonly string[] FirstNames =
    [
        "Amara", "Bence", "Chiara", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ivo", "Jasmin", "Kenji", "Lucía", "Mateus", "Nadia",
        "Oskar", "Priya", "Quentin", "Rosa", "Sanjay", "Tove", "Uche", "Valentina", "Wen", "Ximena", "Yusuf", "Zofia", "Liam", "Grace",
    ];

    protected static readonly string[] LastNames =
    [
        "Okafor", "Lindqvist", "Moreau", "Haddad", "Nakamura", "Kowalczyk", "Ferreira", "O'Brien", "Petrov", "Adeyemi", "Schmitt",
        "Castillo", "Nguyen", "Rossi", "Varga", "Iyer", "Brennan", "Dubois", "Halvorsen", "Mensah",
    ];

    protected static readonly string[] Companies =
    [
        "Northwind Logistics", "Bluefjord Analytics", "Cedar & Pike LLP", "Kestrel Robotics", "Marlow Foods", "Quayside Energy", "Tallis Medical",
        "Orchid Retail Group", "Ironbark Construction", "Lumen Pay", "Halcyon Travel", "Verdant Agritech", "Sable Security", "Pioneer Freight",
    ];

    protected static readonly string[] Cities =
    [
        "Rotterdam", "Leeds", "Porto", "Kraków", "Austin", "Lyon", "Osaka", "Nairobi", "Valparaíso", "Tartu", "Brisbane", "Pune", "Calgary", "Graz",
    ];

    protected string PersonName() => $"{Pick(FirstNames)} {Pick(LastNames)}";
}
