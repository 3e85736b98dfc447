using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// A QA team: CI jobs on every merge ask for batches of fake records and edge cases (same templates, different entity,
/// high temperature, large outputs, seconds apart); engineers ask for boundary values by hand.
/// </summary>
public sealed class H5TestDataGeneratorTenant : HeldOut5Tenant
{
    private static readonly string[] Fields =
    [
        "id, full_name, email, phone, date_of_birth, country", "id, amount, currency, timestamp, merchant, status",
        "sku, title, price, weight_grams, tags, in_stock", "claim_id, policy_no, incident_date, description, amount_claimed",
        "booking_ref, passenger_name, origin, destination, departure_utc, seat", "ticket_id, subject, body, priority, created_at, assignee",
    ];

    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5TestDataGeneratorTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 800_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-test-data-generator";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var runner = CloudIp();
        var office = RandomIp(Random.Next(60, 200), Random.Next(0, 256), Random.Next(0, 256));
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, 1200, t => OfficeDay(t, _offset));
            if (at >= End)
            {
                break;
            }
            var t = at;
            for (var i = Random.Next(6, 25); i > 0; i--)
            {
                var entity = H5Text.Of(Random, H5Text.Entities);
                var prompt = Chance(0.7)
                    ? $"Generate {PickFrom(20, 50, 100)} realistic fake {entity} records as a JSON array with fields: {PickFrom(Fields)}. Include {Random.Next(3, 10)} edge cases (empty strings, very long names, non-ASCII characters, leap-day dates, negative amounts). Output JSON only."
                    : $"List {PickFrom(15, 25, 40)} edge-case inputs for a function that {H5Text.Of(Random, Phrases.CodeTasks)}. One per line, no commentary.";
                planned.Add(Request(_org, t, runner, "OpenAI/Python 1.54.4 pytest/8.3.3", "You generate synthetic test data. Never output real personal data.",
                    null, prompt, temperature: 0.9, maxTokens: 4096, keyIndex: 0));
                t += SteadyGap(2.0, 0.6);
            }
        }
        for (var engineer = Random.Next(3, 10); engineer > 0; engineer--)
        {
            for (var s = Random.Next(1, 5); s > 0; s--)
            {
                var when = RandomTimeWhen(Context.Start, End, x => OfficeDay(x, _offset));
                var turns = new List<string>
                {
                    PickFrom(
                        $"what are good boundary values to test a {PickFrom("date of birth", "postcode", "IBAN", "quantity", "password")} field?",
                        $"write a pytest parametrize list for a function that {H5Text.Of(Random, Phrases.CodeTasks)}",
                        $"give me 10 nasty unicode strings for testing a {PickFrom("search box", "username field", "CSV importer")}"),
                };
                if (Chance(0.4))
                {
                    turns.Add(PickFrom("add a few more around zero", "as a python list please", "which of these are most likely to break things?"));
                }
                planned.AddRange(Session(_org, when, office, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Cursor/0.42", null, turns, 60, keyIndex: 1));
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A spreadsheet add-in (an =AI() cell function): users fill a template down a column of their data, so a job is tens
/// to hundreds of near-identical prompts within seconds, at temperature 0 with short outputs, during office hours.
/// </summary>
public sealed class H5SpreadsheetAddinTenant : HeldOut5Tenant
{
    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        ["review"] = ["Classify the sentiment of this review as Positive, Negative or Neutral. Reply with one word.\n\nReview: {0}", "Extract the main complaint from this review in under 8 words: {0}"],
        ["company"] = ["What industry is this company most likely in? Answer with one industry name.\n\n{0}", "Extract the legal form (Ltd, Inc., GmbH...) from: {0}"],
        ["address"] = ["Split this address into street, city and postcode, separated by | : {0}", "Which country is this address in? {0}"],
        ["title"] = ["Normalise this job title to a standard title and seniority (Junior/Mid/Senior/Executive): {0}", "Map this job title to a department: {0}"],
        ["feedback"] = ["Tag this feedback with one of: Bug, Feature request, Pricing, Support, Praise.\n{0}", "Translate to French: {0}"],
        ["product"] = ["Write a 12-word product title for: {0}", "Suggest a product category path (e.g. Home > Kitchen) for: {0}"],
    };

    private readonly SimulatedOrg _org;
    private readonly double[] _offsets;

    public H5SpreadsheetAddinTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 4, tokensPerMinute: 2_000_000);
        Orgs = [_org];
        var first = PickOffset();
        _offsets = [first, first + PickFrom(-1.0, 1.0, 5.0, -6.0)];
        AdoptsNewModelAfter = Chance(0.3) ? TimeSpan.FromHours(Random.Next(2, 10)) : null;
    }

    public override string Kind => "h5-spreadsheet-addin";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var egress = Enumerable.Range(0, 3).Select(_ => CloudIp()).ToArray();
        var ua = PickFrom("node-fetch/3.3.2", "axios/1.7.9", "OpenAI/NodeJS 4.71.1");
        for (var user = Random.Next(20, 60); user > 0; user--)
        {
            var offset = PickFrom(_offsets);
            var key = Random.Next(_org.KeyIds.Count);
            for (var job = Random.Next(1, 5); job > 0; job--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => OfficeDay(t, offset));
                var kind = H5Text.Of(Random, H5Text.CellKinds);
                var template = PickFrom(Templates[kind]);
                var rows = 10 + (int)Math.Min(900, -80 * Math.Log(1 - Random.NextDouble()));
                var system = Chance(0.5) ? "You are a spreadsheet function. Reply with the value only, no explanation." : null;
                for (var r = 0; r < rows; r++)
                {
                    planned.Add(Request(_org, at, PickFrom(egress), ua, system, null, Fill(template, H5Text.Cell(Random, kind)),
                        temperature: 0, maxTokens: PickFrom(32, 64, 128), keyIndex: key));
                    at += PoissonGap(0.3);
                }
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// An SEO agency's content tool: client jobs of tens of one-shot articles, product descriptions, meta descriptions and
/// FAQs, run one after another by a script in office hours; long outputs at a fairly high temperature.
/// </summary>
public sealed class H5SeoAgencyTenant : HeldOut5Tenant
{
    private static readonly string[] Services = ["plumber", "dentist", "yoga studio", "roofing company", "wedding photographer", "vegan bakery", "bike repair shop", "accountant", "dog groomer", "escape room"];

    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5SeoAgencyTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 1_000_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-seo-agency";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ip = CloudIp();
        var ua = PickFrom("WordPress/6.6.2; https://", "OpenAI/Python 1.57.0", "python-requests/2.32.3");
        for (var job = Random.Next(5, 14); job > 0; job--)
        {
            var at = RandomTimeWhen(Context.Start, End, t => OfficeDay(t, _offset));
            var service = PickFrom(Services);
            var city = H5Text.Of(Random, H5Text.Cities);
            var tone = PickFrom("friendly", "professional", "playful", "authoritative");
            var system = $"You are an SEO copywriter for a {service} in {city}. Tone: {tone}. Use British English. Avoid keyword stuffing.";
            for (var i = Random.Next(10, 60); i > 0; i--)
            {
                var topic = H5Text.Of(Random, H5Text.Topics);
                var prompt = Random.Next(4) switch
                {
                    0 => $"Write a {PickFrom(800, 1200, 1500)}-word blog article targeting the keyword \"best {service} {city}\" with the angle: {topic}. Use H2 headings, a meta description and a 3-question FAQ.",
                    1 => $"Write a 150-word product description for {H5Text.Cell(Random, "product")}. Include 3 bullet-point features and a call to action.",
                    2 => $"Write 5 meta descriptions under 155 characters for a page about {service} services in {city}.",
                    _ => $"Write an FAQ section (8 questions) for a {service} website, covering prices, booking and {topic}.",
                };
                planned.Add(Request(_org, at, ip, ua, system, null, prompt, temperature: 0.8, maxTokens: 3000));
                at += HumanGap(25);
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// An ambient clinical scribe: after each visit the clinician's app sends the transcript for a SOAP note; sometimes a
/// follow-up asks for a referral letter or a patient-friendly summary. Clinic hours only.
/// </summary>
public sealed class H5MedicalScribeTenant : HeldOut5Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5MedicalScribeTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 500_000);
        Orgs = [_org];
        _offset = PickFrom(-8.0, -5.0, 0.0, 1.0, 10.0);
    }

    public override string Kind => "h5-medical-scribe";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        const string system = "You are a clinical documentation assistant. Write a SOAP note (Subjective, Objective, Assessment, Plan) from the visit transcript. Do not invent findings; write 'not discussed' where information is missing.";
        var ip = CloudIp();
        var ua = PickFrom("okhttp/4.12.0", "OpenAI/Python 1.54.4", "Go-http-client/2.0");
        var dayStart = Context.Start.AddHours(-LocalHour(Context.Start, _offset));
        for (var clinician = Random.Next(5, 20); clinician > 0; clinician--)
        {
            foreach (var day in new[] { dayStart, dayStart.AddDays(1) })
            {
                var at = day.AddHours(8 + Random.NextDouble());
                var closing = day.AddHours(17 + Random.NextDouble());
                while (at < closing)
                {
                    at += TimeSpan.FromMinutes(12 + Random.Next(0, 14));
                    if (LocalHour(at, _offset) is > 12.2 and < 13)
                    {
                        at += TimeSpan.FromMinutes(40);
                    }
                    var turns = new List<string> { "Transcript:\n" + H5Text.Transcript(Random) };
                    if (Chance(0.2))
                    {
                        turns.Add(PickFrom("Also draft a short referral letter to cardiology.", "Now write a patient-friendly summary at a 6th-grade reading level.",
                            "Shorten the plan section to 3 bullets.", "Add ICD-10 code suggestions for the assessment."));
                    }
                    planned.AddRange(Session(_org, at, ip, ua, system, turns, 45, temperature: 0.1, maxTokens: 1500));
                }
            }
        }
        return InOrder(planned);
    }
}
