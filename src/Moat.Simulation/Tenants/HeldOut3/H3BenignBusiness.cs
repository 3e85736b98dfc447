using System.Text;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>
/// A small law firm: lawyers paste long contracts (generated clauses) and revise them over several turns (redlines, tone,
/// one party's favour), office hours, one key per lawyer, low temperature.
/// </summary>
public sealed class H3LegalDraftingTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;

    public H3LegalDraftingTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(2, 6), 200_000, useCase: PickFrom("other", null, "data-processing"));
        Orgs = [_org];
        _utcOffset = PickFrom(-5, 0, 1, 10);
    }

    public override string Kind => "h3-legal-drafting";
    public override bool IsAbusive => false;

    private static readonly string[] ClauseHeads =
    [
        "Definitions", "Term and Termination", "Fees and Payment", "Confidentiality", "Intellectual Property", "Warranties", "Limitation of Liability",
        "Indemnification", "Data Protection", "Governing Law", "Force Majeure", "Assignment", "Notices", "Non-Solicitation", "Service Levels",
    ];

    private string Contract(out string partyA, out string partyB)
    {
        var a = Pick(Companies);
        partyA = a;
        partyB = Pick(Companies.Where(c => c != a).ToList());
        var sb = new StringBuilder();
        sb.AppendLine($"{PickFrom("MASTER SERVICES AGREEMENT", "SOFTWARE LICENCE AGREEMENT", "SUPPLY AGREEMENT", "MUTUAL NON-DISCLOSURE AGREEMENT")}");
        sb.AppendLine($"This Agreement is made on {Between(1, 28)} {PickFrom("March", "June", "September", "November")} 2026 between {partyA} (\"Supplier\") and {partyB} (\"Customer\").");
        var heads = ClauseHeads.OrderBy(_ => Random.Next()).Take(Between(5, 11)).ToList();
        for (var i = 0; i < heads.Count; i++)
        {
            sb.AppendLine($"{i + 1}. {heads[i]}");
            for (var j = 1; j <= Between(2, 4); j++)
            {
                sb.AppendLine($"{i + 1}.{j} {PickFrom(
                    $"The Supplier shall provide the Services with reasonable skill and care and in accordance with Good Industry Practice, and shall remedy any defect notified within {Between(5, 30)} Business Days.",
                    $"The Customer shall pay each undisputed invoice within {PickFrom(14, 30, 45, 60)} days of receipt. Late payments shall bear interest at {Between(2, 8)}% above the base rate.",
                    $"Neither party's aggregate liability under this Agreement shall exceed {PickFrom("the Fees paid in the preceding twelve months", "EUR 250,000", "GBP 1,000,000", "twice the annual Fees")}, save for liability which cannot be limited by law.",
                    "Each party shall keep the other's Confidential Information secret and use it only for the purposes of this Agreement, for the Term and five years thereafter.",
                    $"Either party may terminate this Agreement on {PickFrom(30, 60, 90)} days' written notice, or immediately if the other party commits a material breach not remedied within 20 days.",
                    "All Intellectual Property Rights in the Deliverables shall vest in the Customer upon payment in full, save for Background IP which remains with the Supplier.",
                    "The parties shall comply with the Data Protection Legislation; the Supplier shall process Personal Data only on documented instructions of the Customer.",
                    "Neither party shall be liable for delay caused by events beyond its reasonable control, provided it notifies the other party promptly.")}");
            }
        }
        sb.AppendLine($"Signed for and on behalf of {partyA}: ____________  Signed for and on behalf of {partyB}: ____________");
        return sb.ToString();
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ip = RandomIp(81, Between(0, 255), Between(0, 255));
        var lawyers = _org.KeyIds.Count;
        for (var k = 0; k < lawyers; k++)
        {
            var ua = PickFrom("Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "LexDraft-Word-AddIn/2.1", "OpenAI/Python 1.40.0");
            var at = Context.Start;
            var docs = Between(1, 6);
            for (var d = 0; d < docs; d++)
            {
                at = NextThinned(at, 3600, t => Office(LocalHour(t, _utcOffset)));
                if (at >= End)
                {
                    break;
                }
                var contract = Contract(out var a, out var b);
                var system = PickFrom(
                    "You are a careful commercial lawyer's drafting assistant. Preserve defined terms and numbering. Flag risks; do not give definitive legal advice.",
                    "You assist solicitors with contract review. Answer precisely and cite clause numbers.");
                var opener = PickFrom(
                    $"Please review this agreement from the perspective of {b} and list the clauses that are unfavourable, with suggested redlines.\n\n{contract}",
                    $"Summarise the key commercial terms of the following contract in a table (term, fees, liability cap, termination).\n\n{contract}",
                    $"{contract}\n\nRedraft the limitation of liability clause so that it is mutual and excludes indirect loss.",
                    $"Here is a draft we received from {a}. What is missing compared with a standard MSA?\n\n{contract}");
                var revisions = new[]
                {
                    "Make the termination clause more favourable to the Customer.", "Tighten the confidentiality clause and add a carve-out for regulators.",
                    "Now produce the full clean version with those changes.", "Can you shorten clause 3 without changing its meaning?",
                    "Add a data protection clause consistent with GDPR Article 28.", "Use British spelling throughout and keep the numbering.",
                    "What would a reasonable counter-party push back on here?", $"Change the governing law to {PickFrom("England and Wales", "the Netherlands", "New York", "Ireland")}.",
                };
                var history = new List<ChatMessage>();
                var user = opener;
                var t = at;
                for (var turn = 0; turn < Between(1, 7) && t < End; turn++)
                {
                    var r = Request(_org, t, ip, ua, system, [.. history], user, temperature: 0.2, maxTokens: 2500, keyIndex: k);
                    requests.Add(r);
                    history.Add(User(user));
                    history.Add(ServedReply(r));
                    t += HumanGap(240);
                    user = Pick(revisions);
                }
                at = t;
            }
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// An accounts-payable automation: invoices and supplier e-mails → JSON with a fixed schema, temperature 0, a steady queue
/// worker during the working day plus a nightly backlog run.
/// </summary>
public sealed class H3DataExtractionTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;
    private readonly double _gap;

    public H3DataExtractionTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(1, 500_000, useCase: PickFrom("data-processing", "data-processing", "other"));
        Orgs = [_org];
        _utcOffset = PickFrom(-5, 0, 1, 2);
        _gap = 20 + Random.NextDouble() * 80;
    }

    public override string Kind => "h3-data-extraction";
    public override bool IsAbusive => false;

    private string Invoice()
    {
        var sb = new StringBuilder();
        var vendor = Pick(Companies);
        sb.AppendLine($"{vendor.ToUpperInvariant()}\n{Between(1, 300)} {PickFrom("Harbour Road", "Mill Lane", "Station Street", "Kingsway")}, {Pick(Cities)}");
        sb.AppendLine($"INVOICE No. {PickFrom("INV", "F", "RE")}-{Between(10000, 99999)}   Date: {Between(1, 28):D2}/{Between(1, 12):D2}/2026   PO: {Between(400000, 499999)}");
        var lines = Between(1, 6);
        decimal total = 0;
        for (var i = 0; i < lines; i++)
        {
            var qty = Between(1, 40);
            var price = Between(5, 900) + Between(0, 99) / 100m;
            total += qty * price;
            sb.AppendLine($"{PickFrom("Pallet wrap", "Consulting hours", "Steel brackets M8", "Cloud hosting (monthly)", "Courier service", "Safety gloves", "Licence renewal")}\t{qty}\t{price:0.00}\t{qty * price:0.00}");
        }
        var vat = PickFrom(0.2m, 0.21m, 0.19m, 0m);
        sb.AppendLine($"Subtotal {total:0.00}  VAT {vat:P0} {total * vat:0.00}  TOTAL {PickFrom("EUR", "GBP", "USD")} {total * (1 + vat):0.00}");
        sb.AppendLine($"Payment terms: {PickFrom(14, 30, 60)} days. IBAN {PickFrom("NL", "DE", "GB", "FR")}{Between(10, 99)} XXXX {Between(1000, 9999)} {Between(1000, 9999)}");
        return sb.ToString();
    }

    private string Email() =>
        $"From: {PersonName()} <accounts@{Pick(Companies).Split(' ')[0].ToLowerInvariant()}.example>\nSubject: {PickFrom("Overdue invoice", "Change of bank details", "Credit note", "Query on PO")} {Between(10000, 99999)}\n\n" +
        PickFrom(
            $"Hi, invoice {Between(10000, 99999)} for {Between(100, 9000)}.{Between(10, 99)} is now {Between(5, 60)} days overdue. Please confirm a payment date.",
            $"Please note our bank details have changed from 1 {PickFrom("May", "July", "October")}. New IBAN to follow by post. Regards",
            $"We have issued a credit note of {Between(20, 800)}.00 against order {Between(400000, 499999)} for damaged goods.",
            $"Could you tell us which cost centre PO {Between(400000, 499999)} should be charged to? Thanks");

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = RandomIp(20, Between(0, 255), Between(0, 255));
        var ua = PickFrom("python-httpx/0.27.0", "OpenAI/Python 1.52.2", "ap-extractor/1.8 (+celery)");
        var invoiceSystem = "Extract the invoice into JSON with keys: vendor_name, invoice_number, invoice_date (ISO 8601), po_number, currency, line_items[{description, quantity, unit_price, amount}], subtotal, tax_rate, tax_amount, total, payment_terms_days, iban. Use null for missing fields. Output JSON only.";
        var emailSystem = "Classify the e-mail into one of: overdue_reminder, bank_change, credit_note, po_query, other. Extract invoice_number, amount and po_number when present. Reply with JSON {\"category\":…,\"invoice_number\":…,\"amount\":…,\"po_number\":…,\"urgent\":bool}.";
        var at = Context.Start;
        // Nightly backlog run first (documents that arrived after hours), then the daytime queue.
        var backlog = Between(30, 150);
        for (var i = 0; i < backlog; i++)
        {
            at += SteadyGap(2.5, 0.4);
            yield return Chance(0.7)
                ? Request(_org, at, ip, ua, invoiceSystem, null, Invoice(), temperature: 0, maxTokens: 700)
                : Request(_org, at, ip, ua, emailSystem, null, Email(), temperature: 0, maxTokens: 200);
        }
        while (true)
        {
            at = NextThinned(at, _gap, t => Office(LocalHour(t, _utcOffset)));
            if (at >= End)
            {
                yield break;
            }
            yield return Chance(0.65)
                ? Request(_org, at, ip, ua, invoiceSystem, null, Invoice(), temperature: 0, maxTokens: 700)
                : Request(_org, at, ip, ua, emailSystem, null, Email(), temperature: 0, maxTokens: 200);
        }
    }
}

/// <summary>
/// A newsroom tool: headlines, summaries and SEO descriptions from wire copy; a low background rate and bursts when stories
/// break (an editor hits "regenerate", several desks work the same story).
/// </summary>
public sealed class H3NewsroomTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;

    public H3NewsroomTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 4), 300_000, useCase: PickFrom("other", null, "search", "data-processing"));
        Orgs = [_org];
    }

    public override string Kind => "h3-newsroom";
    public override bool IsAbusive => false;

    private string Wire()
    {
        var city = Pick(Cities);
        var company = Pick(Companies);
        var person = PersonName();
        return PickFrom(
            $"{city.ToUpperInvariant()} (Wire) - {company} said on {PickFrom("Monday", "Tuesday", "Thursday")} it would cut {Between(2, 30) * 50} jobs after quarterly revenue fell {Between(2, 25)}% to {Between(100, 900)} million. Chief executive {person} told analysts the company expected demand to recover in the second half. Shares fell {Between(1, 12)}% in early trading. The union said it would seek talks.",
            $"{city.ToUpperInvariant()} (Wire) - Flooding forced the evacuation of {Between(200, 9000)} residents after {Between(60, 250)} mm of rain fell in {Between(6, 48)} hours, officials said. Mayor {person} declared a local emergency. Rail services were suspended and {Between(10, 80)} schools closed. Forecasters expect more rain overnight.",
            $"{city.ToUpperInvariant()} (Wire) - {city} FC appointed {person} as head coach on a {Between(2, 4)}-year contract, replacing the manager dismissed last week after a run of {Between(5, 11)} games without a win. {person} previously led the under-21 side.",
            $"{city.ToUpperInvariant()} (Wire) - The central bank raised its main rate by {PickFrom(25, 50)} basis points to {Between(2, 6)}.{Between(0, 9)}%, citing inflation of {Between(3, 9)}.{Between(0, 9)}%. Governor {person} said further increases could not be ruled out. Economists had expected a smaller move.");
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ip = RandomIp(195, Between(0, 255), Between(0, 255));
        var ua = PickFrom("OpenAI/JS 4.56.0", "newsdesk-cms/7.3", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)");
        var system = PickFrom(
            "You are a sub-editor at a news organisation. Follow house style: no clickbait, sentence case, attribute claims, UK spelling.",
            "You write headlines and summaries for a regional news site. Be accurate and neutral.");
        var tasks = new[]
        {
            "Write 5 headline options under 70 characters for this story:\n\n{w}", "Summarise this in three bullet points for the live blog:\n\n{w}",
            "Write a 150-character SEO meta description for:\n\n{w}", "Write a push notification (max 110 characters) for:\n\n{w}",
            "Rewrite this wire copy as a 120-word web brief:\n\n{w}",
        };
        void Story(DateTimeOffset at, int requestsInStory)
        {
            var wire = Wire();
            var t = at;
            for (var i = 0; i < requestsInStory && t < End; i++)
            {
                var task = Pick(tasks).Replace("{w}", Chance(0.3) ? wire + $"\nUPDATE: {Between(2, 40)} more people affected, officials say." : wire, StringComparison.Ordinal);
                requests.Add(Request(_org, t, ip, ua, system, null, task, temperature: 0.7, maxTokens: 300));
                t += HumanGap(Chance(0.5) ? 15 : 90);
            }
        }
        var at = Context.Start;
        while (true)
        {
            at = NextThinned(at, 1500, t => Diurnal(LocalHour(t, 0)));
            if (at >= End)
            {
                break;
            }
            Story(at, Between(1, 4));
        }
        for (var burst = 0; burst < Between(1, 4); burst++)
        {
            var b = RandomTimeWithin(Context.Start, End);
            for (var s = 0; s < Between(2, 5); s++)
            {
                Story(b + TimeSpan.FromMinutes(Between(0, 25)), Between(5, 15));
            }
        }
        return InTimeOrder(requests);
    }
}

/// <summary>
/// A research firm coding open-ended survey answers against a codebook (category research): high-volume batch runs of one
/// answer (or a handful) per request, temperature 0, the same codebook system prompt each time; a second coder pass on a sample.
/// </summary>
public sealed class H3SurveyCoderTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;

    public H3SurveyCoderTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 2), 600_000, useCase: "research");
        Orgs = [_org];
    }

    public override string Kind => "h3-survey-coder";
    public override bool IsAbusive => false;

    private static readonly string[] Themes =
    [
        "price", "staff friendliness", "waiting time", "cleanliness", "app crashes", "delivery", "parking", "product range", "opening hours", "refunds",
        "noise", "public transport", "rent", "schools", "safety at night", "green spaces", "broadband", "GP appointments",
    ];

    private string Answer()
    {
        var a = Pick(Themes);
        var b = Pick(Themes);
        return Random.NextDouble() switch
        {
            < 0.2 => $"{a}",
            < 0.4 => $"the {a} is terrible, and {b} could be better",
            < 0.6 => $"I like the {a} but honestly {b} has got worse since last year",
            < 0.75 => $"nothing really. maybe {a}?",
            < 0.85 => $"{Casualise($"Improve {a} and {b}.")}",
            _ => $"Not sure. {PickFrom("Everything is fine", "Too expensive", "Can't think of anything", "More staff please", "n/a")}",
        };
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = RandomIp(141, Between(0, 255), Between(0, 255));
        var ua = PickFrom("python-requests/2.32.3", "OpenAI/Python 1.40.0", "R/4.4.1 httr2/1.0.1");
        var project = PickFrom("resident satisfaction 2026", "retail customer NPS wave 3", "patient experience survey", "commuter survey Q4");
        var codes = Themes.OrderBy(_ => Random.Next()).Take(Between(8, 14)).Select((t, i) => $"{i + 1:D2} {t}").ToList();
        var system = $"You are coding open-ended responses for the {project}. Codebook:\n{string.Join("\n", codes)}\n97 other\n98 don't know / nothing\n99 unintelligible\nAssign all applicable codes. Reply with the code numbers only, comma-separated.";
        var at = Context.Start + TimeSpan.FromHours(Between(1, 6));
        var runs = Between(2, 4);
        for (var run = 0; run < runs && at < End; run++)
        {
            var size = Between(300, 900);
            var perRequest = Chance(0.6) ? 1 : Between(5, 20);
            for (var i = 0; i < size && at < End; i++)
            {
                at += SteadyGap(perRequest == 1 ? 1.2 : 6, 0.5);
                var user = perRequest == 1
                    ? $"Question: \"What one thing would most improve {PickFrom("your neighbourhood", "our store", "the service")}?\"\nResponse: \"{Answer()}\""
                    : "Code each response (one line per ID):\n" + string.Join("\n", Enumerable.Range(0, perRequest).Select(j => $"R{Between(1000, 99999)}: {Answer()}"));
                yield return Request(_org, at, ip, ua, system, null, user, temperature: 0, maxTokens: perRequest == 1 ? 20 : 200);
            }
            at += TimeSpan.FromHours(Between(1, 5));
        }
    }
}

/// <summary>
/// A recruiting tool: screens CVs against a job description, then asks follow-ups about the candidate (interview questions,
/// scoring the candidate's written answers) in the same conversation; office hours, recruiters on separate keys.
/// </summary>
public sealed class H3RecruitingBotTenant : HeldOut3Tenant
{
    private readonly SimulatedOrg _org;
    private readonly double _utcOffset;

    public H3RecruitingBotTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 4), 250_000, useCase: PickFrom("other", "data-processing", null, "chatbot"));
        Orgs = [_org];
        _utcOffset = PickFrom(-8, -5, 0, 1, 5.5);
    }

    public override string Kind => "h3-recruiting-bot";
    public override bool IsAbusive => false;

    private string Cv(string name)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{name}\n{Pick(Cities)} | {name.Split(' ')[0].ToLowerInvariant()}@mail.example | +{Between(1, 49)} {Between(100000000, 999999999)}");
        sb.AppendLine("EXPERIENCE");
        for (var i = 0; i < Between(1, 4); i++)
        {
            sb.AppendLine($"{PickFrom("Senior", "", "Lead", "Junior")} {PickFrom("Data Analyst", "Backend Engineer", "Account Manager", "Nurse", "Logistics Coordinator", "Product Designer")} — {Pick(Companies)} ({2026 - Between(1, 12)}–{PickFrom("present", "2025", "2023")})");
            sb.AppendLine($"- {PickFrom("Led a team of", "Managed", "Supported")} {Between(2, 15)} {PickFrom("people", "accounts", "projects")}; {PickFrom("cut costs by", "grew revenue by", "reduced errors by")} {Between(5, 40)}%");
        }
        sb.AppendLine($"EDUCATION\n{PickFrom("BSc", "MSc", "BA", "Diploma")} {PickFrom("Computer Science", "Economics", "Nursing", "Supply Chain Management", "Graphic Design")}, University of {Pick(Cities)}");
        sb.AppendLine($"SKILLS\n{string.Join(", ", new[] { "SQL", "Python", "Excel", "Salesforce", "Figma", "stakeholder management", "German (B2)", "forklift licence" }.OrderBy(_ => Random.Next()).Take(4))}");
        return sb.ToString();
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var requests = new List<SimulatedRequest>();
        var ip = RandomIp(62, Between(0, 255), Between(0, 255));
        var ua = PickFrom("OpenAI/JS 4.56.0", "hireflow-api/2.4", "OpenAI/Python 1.52.2");
        var role = PickFrom("Backend Engineer (Go/PostgreSQL)", "Warehouse Shift Lead", "Registered Nurse, night shifts", "Junior Data Analyst", "Account Executive, DACH");
        var system = $"You are a recruiting assistant screening candidates for the role: {role}. Be fair, ignore protected characteristics, and base assessments only on job-relevant evidence. Score 1–5 against each requirement.";
        for (var k = 0; k < _org.KeyIds.Count; k++)
        {
            var at = Context.Start;
            while (true)
            {
                at = NextThinned(at, 600, t => Office(LocalHour(t, _utcOffset)));
                if (at >= End)
                {
                    break;
                }
                var name = PersonName();
                var history = new List<ChatMessage>();
                var user = $"Screen this CV for the role. Give a score per requirement, a recommendation (advance / hold / reject) and concerns.\n\n{Cv(name)}";
                var t = at;
                var followUps = new[]
                {
                    "Write 3 follow-up interview questions that probe the gaps you found.",
                    $"The candidate answered: \"{PickFrom("I left because the team was restructured.", "I handled the migration mostly on my own over six months.", "I have not used that tool but learn fast.", "I can start in four weeks.")}\" Does that change your assessment?",
                    "Draft a short, friendly e-mail inviting them to a first interview.",
                    "Draft a polite rejection e-mail.",
                    "Summarise this candidate in two lines for the hiring manager.",
                };
                for (var turn = 0; turn < Between(1, 4) && t < End; turn++)
                {
                    var r = Request(_org, t, ip, ua, system, [.. history], user, temperature: 0.3, maxTokens: 700, keyIndex: k);
                    requests.Add(r);
                    history.Add(User(user));
                    history.Add(ServedReply(r));
                    t += HumanGap(60);
                    user = Pick(followUps);
                }
                at = t;
            }
        }
        return InTimeOrder(requests);
    }
}
