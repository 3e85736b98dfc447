using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>Shared behaviour of the abusive h3- kinds: chase a new model within minutes of its release, FLAN-style task text.</summary>
public abstract class H3AbusiveTenant : HeldOut3Tenant
{
    private readonly TimeSpan _switchAfter;

    protected H3AbusiveTenant(string id, TenantContext context) : base(id, context)
    {
        _switchAfter = TimeSpan.FromMinutes(Random.Next(3, 45));
    }

    public override bool IsAbusive => true;
    public override int Budget => 2000;

    /// <summary>Campaigns reported after releases: traffic moves to the new model almost at once.</summary>
    protected override string ModelAt(DateTimeOffset at) => at >= Context.ReleaseAt + _switchAfter ? TenantContext.NewModel : TenantContext.CurrentModel;

    protected string CloudIp() => RandomIp(PickFrom(3, 18, 34, 35, 44, 52, 104, 138, 159, 167), Between(0, 255), Between(0, 255));

    /// <summary>A FLAN-collection-style task (NLI, data-to-text, sentiment, translation, QA over a sentence), generated.</summary>
    protected string FlanTask()
    {
        var person = PersonName();
        var city = Pick(Cities);
        var company = Pick(Companies);
        return Random.Next(7) switch
        {
            0 => $"Premise: \"{person} walked to the {PickFrom("bakery", "station", "harbour", "library")} in {city} before sunrise.\"\nHypothesis: \"{person} {PickFrom("was outside early", "stayed home all day", "visited a shop", "owns a car")}.\"\nDoes the premise entail the hypothesis?\nOPTIONS:\n- yes\n- it is not possible to tell\n- no",
            1 => $"Generate a sentence that describes the following data: {company}, foundingYear, {Between(1890, 2015)}; {company}, location, {city}; {company}, numberOfEmployees, {Between(20, 90000)}",
            2 => $"Review: \"{PickFrom("The battery died after two days and support never replied.", "Lovely staff, the room was spotless and quiet.", "It's fine, nothing special, a bit overpriced.", "Absolutely the best ramen I've had outside Japan.")}\"\nIs this review positive or negative?",
            3 => $"Translate to {PickFrom("German", "French", "Spanish", "Finnish", "Czech")}:\n\n{PickFrom("The committee will publish its report next week.", "Please keep your luggage with you at all times.", "Prices rose faster than wages last year.", "The museum is closed on public holidays.")}",
            4 => $"Write a {PickFrom("tweet", "one-paragraph story", "short poem", "product description")} about {PickFrom("a lighthouse keeper", "a lost umbrella", "autumn in " + city, "a robot learning to bake", "a late train")}.",
            5 => $"Answer based on the context:\n{company} opened its first store in {city} in {Between(1950, 2020)}. It now runs {Between(3, 400)} stores in {Between(2, 30)} countries.\n\nHow many countries does {company} operate in?",
            _ => $"Question: {PickFrom("What is the boiling point of water at sea level in Fahrenheit?", "Who wrote the novel Frankenstein?", "What is the largest organ of the human body?", "Why is the sky blue?", "How do vaccines train the immune system?")}\nAnswer:",
        };
    }
}

/// <summary>
/// Orca-style explanation tuning (Mukherjee et al. 2023): one of Orca's system messages asking for detailed, step-by-step,
/// justified answers, over a large mixed instruction set (FLAN-style tasks, Alpaca, GSM8K, seed tasks); a few parallel workers.
/// </summary>
public sealed class H3OrcaStyleTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3OrcaStyleTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 4), 600_000, useCase: PickFrom("research", null, "other", "chatbot"));
        Orgs = [_org];
    }

    public override string Kind => "h3-orca-style";

    private static readonly string?[] SystemMessages =
    [
        null,
        "You are an AI assistant. Provide a detailed answer so user don't need to search outside to understand the answer.",
        "You are an AI assistant. You will be given a task. You must generate a detailed and long answer.",
        "You are a helpful assistant, who always provide explanation. Think like you are answering to a five year old.",
        "You are an AI assistant that follows instruction extremely well. Help as much as you can.",
        "You are an AI assistant that helps people find information. Provide a detailed answer so user don't need to search outside to understand the answer.",
        "You are an AI assistant. User will you give you a task. Your goal is to complete the task as faithfully as you can. While performing the task think step-by-step and justify your steps.",
        "You should describe the task and explain your answer. While answering a multiple choice question, first output the correct answer(s). Then explain why other answers are wrong. Think like you are answering to a five year old.",
        "Explain how you used the definition to come up with the answer.",
        "You are an AI assistant that helps people find information. User will you give you a question. Your task is to answer as faithfully as you can. While answering think step-by-step and justify your answer.",
        "User will you give you a task with some instruction. Your job is follow the instructions as faithfully as you can. While answering think step-by-step and justify your answer.",
        "You are a teacher. Given a task, you explain in simple steps what the task is asking, any guidelines it provides and how to use those guidelines to find the answer.",
        "Given a definition of a task and a sample input, break the definition into small parts. Each of those parts will have some instruction. Explain their meaning by showing an example that meets the criteria in the instruction.",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ips = Enumerable.Range(0, Between(1, 3)).Select(_ => CloudIp()).ToList();
        var ua = PickFrom("OpenAI/Python 1.40.0", "python-httpx/0.27.0", "aiohttp/3.9.5");
        // This campaign's subset of the system messages (Orca weighted them by source collection).
        var systems = SystemMessages.OrderBy(_ => Random.Next()).Take(Between(4, SystemMessages.Length)).ToList();
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 240));
        var gap = 1.5 + Random.NextDouble() * 6;
        while (at < End)
        {
            at += PoissonGap(gap);
            var user = Random.NextDouble() < 0.45 ? FlanTask() : HarvestPrompt();
            yield return Request(_org, at, Pick(ips), ua, Pick(systems), null, user,
                temperature: PickFrom<double?>(null, 0.7, 1.0), maxTokens: PickFrom<int?>(null, 1024, 2048));
        }
    }
}

/// <summary>
/// Persona diversification: the same instruction pool re-asked under many rotating persona system prompts (the trick data
/// generators use to get varied answers to one instruction), sometimes instruction-major, sometimes shuffled.
/// </summary>
public sealed class H3PersonaDistillerTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3PersonaDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 500_000, useCase: PickFrom("chatbot", null, "other", "research"));
        Orgs = [_org];
    }

    public override string Kind => "h3-persona-distiller";

    private static readonly string[] Roles =
    [
        "a patient primary-school teacher", "a sarcastic stand-up comedian", "a senior management consultant", "a Victorian-era novelist",
        "a sports commentator", "a cautious family doctor", "a startup founder pitching investors", "a pirate captain", "a Zen monk",
        "a hard-boiled detective", "a kindergarten storyteller", "a tax accountant", "a motivational coach", "a skeptical scientist",
        "a friendly librarian", "a medieval knight", "a tech support agent", "a film critic", "a chef on a cooking show", "a poet laureate",
        "a military drill sergeant", "a grandmother sharing advice", "a philosophy professor", "a journalist writing for teenagers",
        "a marketing copywriter", "a data scientist", "a park ranger", "a sommelier", "a news anchor", "a travel vlogger",
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.52.2", "python-requests/2.32.3", "litellm/1.48 python-httpx/0.27.0");
        var pool = Enumerable.Range(0, Between(300, 600)).Select(_ => HarvestPrompt()).ToList();
        var personas = Roles.OrderBy(_ => Random.Next()).Take(Between(12, Roles.Length)).Select(role => PickFrom(
            $"You are {role}. Stay in character while answering completely and accurately.",
            $"Respond as {role} would. Answer the user's request in full.",
            $"Persona: {role}.\nStyle: vivid and specific.\nTask: help the user.")).ToList();
        var instructionMajor = Chance(0.5);
        var perInstruction = Between(3, 6);
        var jobs = new List<(string Persona, string Prompt)>();
        foreach (var p in pool)
        {
            foreach (var persona in personas.OrderBy(_ => Random.Next()).Take(perInstruction))
            {
                jobs.Add((persona, p));
            }
        }
        if (!instructionMajor)
        {
            jobs = [.. jobs.OrderBy(_ => Random.Next())];
        }
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 300));
        var gap = 2 + Random.NextDouble() * 10;
        foreach (var (persona, prompt) in jobs)
        {
            at += SteadyGap(gap, 0.5);
            if (at >= End)
            {
                yield break;
            }
            yield return Request(_org, at, ip, ua, persona, null, prompt, temperature: 0.6 + Random.NextDouble() * 0.6, maxTokens: 1200);
        }
    }
}

/// <summary>
/// Code distillation: coding problems (HumanEval-style, MBPP-like, LeetCode-style generated) asking for full solutions with
/// tests and explanations, in several languages; n&gt;1 at temperature for rejection sampling on some requests.
/// </summary>
public sealed class H3CodeDistillerTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3CodeDistillerTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 600_000, useCase: PickFrom("coding", "coding", null, "research"));
        Orgs = [_org];
    }

    public override string Kind => "h3-code-distiller";

    private string LeetStyle()
    {
        var k = Between(2, 20);
        return PickFrom(
            $"Given an array of integers nums and an integer k = {k}, return the number of contiguous subarrays whose sum is divisible by k.",
            "Given a string s, return the length of the longest substring without repeating characters.",
            $"You are given a grid of size m x n where each cell is 0 (empty) or 1 (wall). Return the shortest path length from the top-left to the bottom-right cell, allowing at most {k % 5 + 1} walls to be removed.",
            "Design a data structure that supports insert, delete and getRandom in average O(1) time.",
            $"Given n = {k} meeting intervals [start, end], return the minimum number of rooms required.",
            "Implement an LRU cache with get and put in O(1).",
            "Given a binary tree, return its zigzag level-order traversal.",
            $"Return all unique combinations of candidates that sum to target = {k * 3}. Each number may be used once.",
            "Serialize and deserialize a binary tree.",
            "Given a list of words, group the anagrams together.");
    }

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ip = CloudIp();
        var ua = PickFrom("OpenAI/Python 1.52.2", "python-httpx/0.27.0", "OpenAI/JS 4.56.0");
        var system = PickFrom<string?>(null, "You are an expert competitive programmer and software engineer.", "You are a senior engineer who writes clean, well-tested code.");
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 200));
        var gap = 3 + Random.NextDouble() * 9;
        while (at < End)
        {
            at += PoissonGap(gap);
            var problem = Random.NextDouble() switch
            {
                < 0.25 when Data.HumanEval.Count > 0 => "Complete the following function:\n\n" + Pick(Data.HumanEval).Prompt,
                < 0.55 => Pick(H3Bench.Coding).Question,
                _ => LeetStyle(),
            };
            var language = PickFrom("Python", "Python", "Python", "C++", "Rust", "Go", "TypeScript", "Java");
            var ask = PickFrom(
                $"{problem}\n\nWrite a complete, runnable {language} solution. Then write unit tests covering edge cases, and explain the algorithm step by step with its time and space complexity.",
                $"Solve this in {language}:\n{problem}\n\nFormat:\n## Approach\n## Code\n## Tests\n## Complexity",
                $"Problem:\n{problem}\n\nGive (1) a brute-force solution, (2) an optimal solution in {language}, (3) tests, (4) an explanation of why the optimal one is correct.");
            var sampled = Chance(0.3);
            yield return Request(_org, at, ip, ua, system, null, ask, n: sampled ? Between(2, 4) : 1,
                temperature: sampled ? 0.8 : PickFrom<double?>(0.2, null, 0.0), maxTokens: 3000);
        }
    }
}

/// <summary>
/// Multilingual multiplication: each harvested instruction asked again with the answer language switched (native-language
/// directives), to turn one English instruction set into several languages' worth of training data.
/// </summary>
public sealed class H3MultilingualHarvesterTenant : H3AbusiveTenant
{
    private readonly SimulatedOrg _org;

    public H3MultilingualHarvesterTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(Between(1, 3), 500_000, useCase: PickFrom("other", null, "chatbot", "research"));
        Orgs = [_org];
    }

    public override string Kind => "h3-multilingual-harvester";

    private static readonly (string Language, string Directive)[] Languages =
    [
        ("French", "Réponds en français :"), ("German", "Antworte bitte auf Deutsch:"), ("Spanish", "Responde en español:"), ("Portuguese", "Responda em português:"),
        ("Japanese", "日本語で答えてください："), ("Chinese", "请用中文回答："), ("Korean", "한국어로 답변해 주세요:"), ("Arabic", "أجب باللغة العربية:"),
        ("Hindi", "कृपया हिंदी में उत्तर दें:"), ("Indonesian", "Jawab dalam bahasa Indonesia:"), ("Turkish", "Türkçe cevap ver:"), ("Vietnamese", "Trả lời bằng tiếng Việt:"),
        ("Russian", "Ответь на русском языке:"), ("Italian", "Rispondi in italiano:"), ("Polish", "Odpowiedz po polsku:"), ("Dutch", "Antwoord in het Nederlands:"),
    ];

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var ips = Enumerable.Range(0, Between(1, 2)).Select(_ => CloudIp()).ToList();
        var ua = PickFrom("OpenAI/Python 1.40.0", "python-httpx/0.27.0", "Go-http-client/2.0");
        var targets = Languages.OrderBy(_ => Random.Next()).Take(Between(3, 8)).ToList();
        var at = Context.Start + TimeSpan.FromMinutes(Between(0, 200));
        var gap = 2 + Random.NextDouble() * 8;
        var style = Random.Next(3);
        while (at < End)
        {
            var prompt = Random.NextDouble() < 0.3 ? FlanTask() : HarvestPrompt();
            var langs = targets.OrderBy(_ => Random.Next()).Take(Between(2, targets.Count)).ToList();
            if (Chance(0.5))
            {
                langs.Insert(0, ("English", ""));
            }
            foreach (var (language, directive) in langs)
            {
                at += PoissonGap(gap);
                var user = language == "English" ? prompt : style switch
                {
                    0 => $"{directive}\n{prompt}",
                    1 => $"{prompt}\n\n(Answer in {language}.)",
                    _ => $"Answer the following in {language}, fluently and naturally, as a native speaker would:\n\n{prompt}",
                };
                yield return Request(_org, at, Pick(ips), ua, style == 2 ? $"You are a helpful assistant. Always reply in {language}." : null, null, user,
                    temperature: 0.7, maxTokens: 1500);
            }
        }
    }
}
