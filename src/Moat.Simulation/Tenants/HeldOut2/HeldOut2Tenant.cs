using System.Globalization;
using System.Text;
using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut2;

/// <summary>
/// Base of the second held-out population: its own pacing helpers (diurnal thinning, business hours, on/off windows),
/// an interleaver of many concurrent conversations that sends served replies back, and its own text generators
/// (everyday topics, documents, and benchmark-style items generated here, so no index of known items holds them).
/// </summary>
public abstract class HeldOut2Tenant(string id, TenantContext context) : SimulatedTenant(id, context)
{
    protected static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ---------------------------------------------------------------- pacing

    /// <summary>Relative activity (0.03–1) of people at a local hour: asleep at night, a morning ramp, an evening peak.</summary>
    protected static double PeopleCurve(double localHour)
    {
        var h = ((localHour % 24) + 24) % 24;
        if (h < 6) return 0.03 + 0.02 * h / 6;
        if (h < 9) return 0.05 + 0.45 * (h - 6) / 3;
        if (h < 17) return 0.5 + 0.15 * Math.Sin((h - 9) / 8 * Math.PI);
        if (h < 22) return 0.7 + 0.3 * Math.Sin((h - 17) / 5 * Math.PI);
        return 0.7 - 0.6 * (h - 22) / 2;
    }

    /// <summary>Office activity: flat during 9–18 with a lunch dip, a trickle otherwise.</summary>
    protected static double OfficeCurve(double localHour)
    {
        var h = ((localHour % 24) + 24) % 24;
        if (h is >= 9 and < 18) return h is >= 12 and < 13 ? 0.6 : 1.0;
        if (h is >= 8 and < 9 or >= 18 and < 19) return 0.35;
        return 0.02;
    }

    /// <summary>The next event of a Poisson process whose peak mean gap is <paramref name="peakMeanGapSeconds"/>, thinned by a daily curve.</summary>
    protected DateTimeOffset NextThinned(DateTimeOffset from, double peakMeanGapSeconds, Func<double, double> curve, double utcOffsetHours) =>
        NextThinned(from, peakMeanGapSeconds, t => curve(LocalHour(t, utcOffsetHours)));

    /// <summary>Event times over [from, to) of a thinned Poisson process.</summary>
    protected List<DateTimeOffset> ThinnedTimes(DateTimeOffset from, DateTimeOffset to, double peakMeanGapSeconds, Func<double, double> curve, double utcOffsetHours)
    {
        var times = new List<DateTimeOffset>();
        var t = from;
        while (true)
        {
            t = NextThinned(t, peakMeanGapSeconds, curve, utcOffsetHours);
            if (t >= to) break;
            times.Add(t);
        }
        return times;
    }

    protected double Uniform(double lo, double hi) => lo + (hi - lo) * Random.NextDouble();

    protected int Between(int lo, int hiInclusive) => Random.Next(lo, hiInclusive + 1);


    protected double PickTimeZone() => Pick(TimeZones);

    private static readonly double[] TimeZones = [-8, -7, -5, -5, -4, 0, 1, 1, 2, 3, 5.5, 8, 9, 10];

    protected string PickUa() => Pick(MoreUserAgents);

    protected static readonly string[] MoreUserAgents =
    [
        "OpenAI/Python 1.54.4", "OpenAI/Python 1.35.13", "OpenAI/NodeJS 4.67.1", "AsyncOpenAI/Python 1.51.0", "langchain-openai/0.2.9",
        "llama-index/0.11.23", "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.7.7", "node-fetch/1.0", "Java-http-client/21.0.4",
        "python-requests/2.31.0", "python-httpx/0.28.1", "RestSharp/112.0.0", "Ruby", "Dart/3.5 (dart:io)",
    ];

    // ---------------------------------------------------------------- conversations

    /// <summary>One conversation for the interleaver: its turns are produced lazily (a turn may depend on what was served).</summary>
    protected sealed class Conversation
    {
        public required SimulatedOrg Org { get; init; }
        public required DateTimeOffset Start { get; init; }
        public required Func<int, string?> NextUser { get; init; }
        public string? System { get; init; }
        public IReadOnlyList<ChatMessage>? Preamble { get; init; }
        public required Func<TimeSpan> Gap { get; init; }
        public string Ip { get; init; } = "10.0.0.1";
        public string UserAgent { get; init; } = "OpenAI/Python 1.40.0";
        public int KeyIndex { get; init; } = -1;
        public double? Temperature { get; init; }
        public int? MaxTokens { get; init; }
        public int N { get; init; } = 1;
        public string? Model { get; init; }
        public int MaxTurns { get; init; } = 1;

        internal int Turn;
        internal string? LastUser;
        internal SimulatedRequest? Last;
        internal readonly List<ChatMessage> History = [];
    }

    /// <summary>Interleaves many conversations in time order; each later turn carries the served reply of the earlier one.</summary>
    protected IEnumerable<SimulatedRequest> Interleave(IEnumerable<Conversation> conversations)
    {
        var queue = new PriorityQueue<Conversation, (DateTimeOffset, int)>();
        var order = 0;
        foreach (var c in conversations)
        {
            if (c.Start < End)
            {
                queue.Enqueue(c, (c.Start, order++));
            }
        }
        while (queue.TryDequeue(out var c, out var at))
        {
            if (c.Last is not null)
            {
                c.History.Add(new ChatMessage("user", c.LastUser!));
                c.History.Add(ServedReply(c.Last));
            }
            var user = c.NextUser(c.Turn);
            if (user is null)
            {
                continue;
            }
            var history = new List<ChatMessage>();
            if (c.Preamble is not null) history.AddRange(c.Preamble);
            history.AddRange(c.History);
            var request = Request(c.Org, at.Item1, c.Ip, c.UserAgent, c.System, history.Count == 0 ? null : history, user,
                model: c.Model, n: c.N, temperature: c.Temperature, maxTokens: c.MaxTokens, keyIndex: c.KeyIndex);
            c.Last = request;
            c.LastUser = user;
            c.Turn++;
            yield return request;
            if (c.Turn < c.MaxTurns)
            {
                var next = at.Item1 + c.Gap();
                if (next < End)
                {
                    queue.Enqueue(c, (next, at.Item2));
                }
            }
        }
    }

    /// <summary>Single requests at given times, in time order (each a one-turn conversation).</summary>
    protected static IEnumerable<SimulatedRequest> InOrder(IEnumerable<SimulatedRequest> requests) => requests.OrderBy(r => r.Timestamp);

    // ---------------------------------------------------------------- everyday text

    protected static readonly string[] Topics =
    [
        "sourdough baking", "home composting", "marathon training", "learning the cello", "kitchen renovation", "remote team management",
        "houseplant care", "electric bikes", "budget travel in Portugal", "first-time home buying", "indoor rock climbing", "beekeeping",
        "saving for retirement", "raising a puppy", "urban gardening", "cybersecurity for small businesses", "podcast production",
        "job interviews", "sleep hygiene", "meal prepping", "vintage watches", "solar panels", "language learning apps", "board game design",
        "wedding planning", "freelance taxes", "aquarium keeping", "trail running", "photography composition", "public speaking",
        "starting a bakery", "mechanical keyboards", "birdwatching", "car maintenance", "bread machines", "minimalist living",
        "coffee roasting", "kayaking", "3D printing", "night photography", "chess openings", "negotiating salary", "woodworking",
        "fermentation", "hiking in the Alps", "home networking", "cold-weather camping", "vegetarian cooking", "watercolor painting",
        "open-source licensing", "customer onboarding", "supply chain basics", "ergonomic home offices", "learning Japanese", "crossfit",
        "pet insurance", "time management", "moving abroad", "genealogy research", "knitting", "smart home devices", "cycling commutes",
    ];

    protected static readonly string[] Audiences =
    [
        "busy parents", "college students", "small business owners", "retirees", "software engineers", "first-time buyers",
        "nurses working night shifts", "beginners", "hobbyists", "B2B marketing managers", "teachers", "remote workers",
    ];

    protected static readonly string[] Languages = ["French", "German", "Spanish", "Japanese", "Brazilian Portuguese", "Italian", "Korean", "Dutch", "Polish", "Turkish", "Simplified Chinese", "Swedish"];

    protected string ChatOpener()
    {
        var r = Random.Next(10);
        if (r < 4 && Data.BenignInstructions.Count > 0) return Casual(Pick(Data.BenignInstructions).Text);
        if (r < 6 && Data.AlpacaInstructions.Count > 0)
        {
            var a = Pick(Data.AlpacaInstructions);
            return string.IsNullOrEmpty(a.Input) ? Casual(a.Instruction) : $"{a.Instruction}\n\n{a.Input}";
        }
        var topic = Pick(Topics);
        return Random.Next(8) switch
        {
            0 => $"hey, can you help me with {topic}? not sure where to start",
            1 => $"What are the most common mistakes people make with {topic}?",
            2 => $"I'm getting into {topic}. what should I buy first if my budget is around ${Between(50, 500)}?",
            3 => $"explain {topic} to me like I'm 12",
            4 => $"My friend says {topic} is a waste of time. Is she right?",
            5 => $"give me a weekly plan for {topic}, I have about {Between(2, 8)} hours a week",
            6 => $"whats the difference between doing {topic} as a hobby vs professionally",
            _ => $"Can you recommend some good books or resources about {topic}?",
        };
    }

    protected string ChatFollowUp()
    {
        return Random.Next(14) switch
        {
            0 => "thanks! can you make that shorter?",
            1 => "ok but what if I only have a weekend?",
            2 => "can you give me an example?",
            3 => "hmm that doesn't sound right, are you sure?",
            4 => "great. now put it in a table",
            5 => "what would you do in my position?",
            6 => "Could you explain the second point a bit more?",
            7 => "lol ok. anything cheaper?",
            8 => "can you translate that into " + Pick(Languages) + "?",
            9 => "perfect, thank you!!",
            10 => "and what are the risks?",
            11 => "Write it as an email to my manager please",
            12 => "why?",
            _ => "ok, last question: where can I learn more?",
        };
    }

    /// <summary>How people type: sometimes lower-case, sometimes without the final punctuation.</summary>
    protected string Casual(string text)
    {
        if (text.Length > 1 && Chance(0.3)) text = char.ToLowerInvariant(text[0]) + text[1..];
        if (Chance(0.3)) text = text.TrimEnd('.', '?', '!');
        return text;
    }

    protected static readonly string[] Sentences =
    [
        "The quarterly review showed that revenue grew by {0}% while operating costs stayed flat.",
        "Customers in the northern region reported longer delivery times after the warehouse move.",
        "The committee agreed to postpone the vote until the legal team has reviewed the contract.",
        "Several participants noted that the onboarding documentation is out of date.",
        "A pilot with {0} users found that the new checkout flow reduced abandoned carts.",
        "The vendor has not yet confirmed whether the price increase applies to existing agreements.",
        "Maintenance on the east wing elevator is scheduled for the second week of the month.",
        "The survey response rate was lower than expected, at roughly {0} percent.",
        "Engineering raised concerns about the migration deadline given current staffing.",
        "The city council approved funding for {0} new bike lanes along the river corridor.",
        "Support tickets about login failures doubled after the last mobile release.",
        "The marketing team proposed shifting part of the budget from print to podcasts.",
        "Attendees asked for clearer guidance on expense reimbursement for remote staff.",
        "Inventory counts at the two largest stores differ from the system records by {0} units.",
        "The research group plans to publish its preliminary findings in the spring.",
        "Weather delays pushed the construction schedule back by about {0} days.",
        "Legal recommended adding a data-retention clause to all new customer contracts.",
        "The hiring panel will interview the three shortlisted candidates next Tuesday.",
        "Energy consumption at the plant fell after the lighting retrofit was completed.",
        "A customer praised the support agent for resolving the billing issue within a day.",
        "The board asked management to prepare two scenarios for next year's budget.",
        "Users find the settings page confusing, especially the notification options.",
        "Shipping partners expect capacity constraints during the holiday season.",
        "The audit found no material issues but recommended tighter access controls.",
    ];

    /// <summary>A pasted document of roughly <paramref name="sentences"/> sentences, with a title.</summary>
    protected string Document(int sentences)
    {
        var sb = new StringBuilder();
        sb.Append(Pick(DocTitles)).Append(" — ").Append(Pick(Topics)).Append("\n\n");
        for (var i = 0; i < sentences; i++)
        {
            if (Data.AlpacaInstructions.Count > 0 && Chance(0.2))
            {
                var o = Pick(Data.AlpacaInstructions).Output;
                sb.Append(o.Length > 400 ? o[..400] : o);
            }
            else
            {
                sb.Append(string.Format(Inv, Pick(Sentences), Between(2, 95)));
            }
            sb.Append(i % 4 == 3 ? "\n\n" : " ");
        }
        return sb.ToString().Trim();
    }

    private static readonly string[] DocTitles =
    [
        "Meeting notes", "Customer feedback digest", "Incident report", "Weekly status update", "Board memo", "Press release draft",
        "Field report", "Support ticket thread", "Policy summary", "Internal newsletter",
    ];

    // ---------------------------------------------------------------- benchmark-style items, generated

    /// <summary>A benchmark-style item: the question as a benchmark would print it, its options (if any) and the reference answer.</summary>
    protected sealed record BenchItem(string Suite, string Question, IReadOnlyList<string> Options, string Answer);

    private static readonly string[] MmluSubjects =
    [
        "high_school_biology", "college_chemistry", "professional_law", "econometrics", "high_school_us_history", "moral_scenarios",
        "clinical_knowledge", "electrical_engineering", "formal_logic", "world_religions", "astronomy", "nutrition", "marketing",
    ];

    private static readonly (string Stem, string Right, string[] Wrong)[] McqFacts =
    [
        ("Which organelle is primarily responsible for ATP production in eukaryotic cells?", "Mitochondrion", ["Golgi apparatus", "Lysosome", "Ribosome"]),
        ("In a perfectly competitive market in long-run equilibrium, price equals", "minimum average total cost", ["maximum marginal revenue", "average fixed cost", "total variable cost"]),
        ("Which of the following is a consequence of Gauss's law for a closed conducting shell?", "The electric field inside the cavity is zero if no charge is enclosed", ["The field inside equals the field outside", "Charge resides uniformly throughout the volume", "The potential inside is zero"]),
        ("The doctrine of stare decisis requires courts to", "follow precedent established by higher courts", ["defer to legislative history", "apply international law", "rule on constitutional issues only"]),
        ("Which vitamin deficiency causes scurvy?", "Vitamin C", ["Vitamin D", "Vitamin B12", "Vitamin K"]),
        ("A heteroskedastic regression error term implies that", "OLS standard errors are biased", ["OLS coefficients are biased", "the R-squared is negative", "the regressors are collinear"]),
        ("Which planet has the shortest orbital period around the Sun?", "Mercury", ["Venus", "Mars", "Earth"]),
        ("The Treaty of Ghent ended which conflict?", "The War of 1812", ["The Seven Years' War", "The Mexican-American War", "The Spanish-American War"]),
        ("In propositional logic, (P → Q) is logically equivalent to", "(¬P ∨ Q)", ["(P ∧ ¬Q)", "(¬Q → ¬P) ∧ P", "(P ∨ Q)"]),
        ("Which of the following bonds is the most polar?", "H–F", ["H–Cl", "C–H", "N–N"]),
        ("An op-amp in a non-inverting configuration with Rf = 9 kΩ and Rg = 1 kΩ has a gain of", "10", ["9", "0.9", "-9"]),
        ("Which pillar of Islam refers to almsgiving?", "Zakat", ["Sawm", "Hajj", "Salat"]),
        ("The 4 Ps of marketing are product, price, place and", "promotion", ["people", "process", "positioning"]),
        ("Which enzyme unwinds the DNA double helix during replication?", "Helicase", ["Ligase", "Primase", "Topoisomerase IV"]),
        ("The main site of nutrient absorption in the human digestive tract is the", "small intestine", ["stomach", "large intestine", "esophagus"]),
    ];

    /// <summary>An MMLU-style four-option item: a known stem with shuffled options, or a generated numeric one.</summary>
    protected BenchItem MmluItem()
    {
        if (Chance(0.5))
        {
            var (stem, right, wrong) = Pick(McqFacts);
            return Shuffled("mmlu", stem, right, wrong);
        }
        var a = Between(3, 40);
        var b = Between(2, 12);
        var kind = Random.Next(4);
        return kind switch
        {
            0 => Shuffled("mmlu", $"A {a}-kg cart accelerates uniformly from rest to {b} m/s in {b / 2 + 1} s. What net force acts on it?",
                $"{a * b / (b / 2 + 1):0.#} N", [$"{a * b:0} N", $"{a + b} N", $"{a * (b / 2 + 1)} N"]),
            1 => Shuffled("mmlu", $"What is the pH of a {Math.Pow(10, -b % 6 - 1):0.######} M solution of HCl?", $"{b % 6 + 1}", [$"{b % 6 + 2}", $"{14 - (b % 6 + 1)}", $"{b % 6 + 0.5:0.0}"]),
            2 => Shuffled("mmlu", $"If the marginal propensity to consume is 0.{b % 9 + 1}, the spending multiplier is", $"{1 / (1 - (b % 9 + 1) / 10.0):0.##}",
                [$"{(b % 9 + 1) / 10.0:0.##}", $"{1 / ((b % 9 + 1) / 10.0):0.##}", $"{b % 9 + 1}"]),
            _ => Shuffled("mmlu", $"How many distinct subgroups does the cyclic group Z_{a} have?", $"{Divisors(a)}", [$"{a}", $"{Divisors(a) + 1}", $"{Math.Max(1, Divisors(a) - 1)}"]),
        };
    }

    private static int Divisors(int n) => Enumerable.Range(1, n).Count(d => n % d == 0);

    private static readonly (string Stem, string Right, string[] Wrong)[] ArcFacts =
    [
        ("Which of these would most likely cause a puddle to evaporate fastest?", "a sunny, windy day", ["a cloudy, calm day", "a cold night", "a foggy morning"]),
        ("A student puts a magnet near a pile of objects. Which object will the magnet pick up?", "an iron nail", ["a plastic spoon", "a glass marble", "a copper penny"]),
        ("Which part of a plant takes in water from the soil?", "roots", ["leaves", "flowers", "seeds"]),
        ("What is the main reason the Moon appears to change shape during a month?", "the portion of its lit side visible from Earth changes", ["Earth's shadow covers it", "clouds block part of it", "it moves closer to the Sun"]),
        ("Which form of energy does a stretched rubber band have?", "elastic potential energy", ["sound energy", "chemical energy", "nuclear energy"]),
        ("A scientist wants to test whether fertilizer affects plant growth. What should stay the same for all plants?", "the amount of water each plant gets", ["the amount of fertilizer", "the height of the plants at the end", "the number of leaves that grow"]),
        ("Which of the following is an inherited trait in dogs?", "fur color", ["knowing a trick", "a scar on the leg", "fear of thunder learned as a puppy"]),
        ("When ice melts into water, what happens to its mass?", "it stays the same", ["it increases", "it decreases", "it becomes zero"]),
        ("Which layer of Earth is made of liquid metal?", "outer core", ["crust", "inner core", "upper mantle"]),
        ("Why do we see lightning before we hear thunder?", "light travels faster than sound", ["sound travels faster than light", "thunder happens later", "our eyes are closer to the brain"]),
    ];

    protected BenchItem ArcItem()
    {
        var (stem, right, wrong) = Pick(ArcFacts);
        return Shuffled("arc", stem, right, wrong);
    }

    protected BenchItem Shuffled(string suite, string stem, string right, string[] wrong)
    {
        var options = wrong.Append(right).OrderBy(_ => Random.Next()).ToList();
        return new BenchItem(suite, stem, options, ((char)('A' + options.IndexOf(right))).ToString());
    }

    private static readonly string[] Cities = ["Lisbon", "Osaka", "Nairobi", "Tallinn", "Montevideo", "Perth", "Quebec City", "Kraków", "Hanoi", "Cusco", "Bergen", "Tbilisi"];
    private static readonly string[] Inventions = ["the telephone", "the printing press", "the phonograph", "dynamite", "the World Wide Web", "the polio vaccine", "the jet engine", "the periodic table"];

    protected BenchItem TriviaItem()
    {
        return Random.Next(5) switch
        {
            0 => new BenchItem("triviaqa", $"Question: In which country is the city of {Pick(Cities)}?", [], "(country)"),
            1 => new BenchItem("triviaqa", $"Question: Who is generally credited with inventing {Pick(Inventions)}?", [], "(name)"),
            2 => new BenchItem("triviaqa", $"Question: Which river flows through {Pick(Cities)}?", [], "(river)"),
            3 => new BenchItem("triviaqa", $"Question: In what year was {Pick(Inventions)} first demonstrated publicly?", [], "(year)"),
            _ => new BenchItem("triviaqa", $"Question: What is the name of the national football stadium in the capital nearest to {Pick(Cities)}?", [], "(stadium)"),
        };
    }

    protected BenchItem MathItem()
    {
        var a = Between(2, 19);
        var b = Between(2, 30);
        var c = Between(1, 9);
        return Random.Next(6) switch
        {
            0 => new BenchItem("math", $"Find the sum of all real values of $x$ that satisfy $x^2 - {a + b}x + {a * b} = 0$.", [], $"{a + b}"),
            1 => new BenchItem("math", $"How many positive integers less than ${a * 50}$ are divisible by ${c + 2}$ but not by ${2 * (c + 2)}$?", [], "?"),
            2 => new BenchItem("math", $"Let $f(x) = {a}x^3 - {b}x + {c}$. Compute $f'({c})$.", [], $"{3 * a * c * c - b}"),
            3 => new BenchItem("math", $"The sides of a triangle have lengths ${a}$, ${a + c}$ and ${a + c + 1}$. What is the cosine of its largest angle? Express your answer as a common fraction.", [], "?"),
            4 => new BenchItem("math", $"What is the remainder when ${a}^{{{b * 7}}}$ is divided by ${c + 6}$?", [], "?"),
            _ => new BenchItem("math", $"A bag has ${a}$ red and ${b}$ blue marbles. Two marbles are drawn without replacement. What is the probability that both are blue? Express your answer as a common fraction.", [], "?"),
        };
    }

    private static readonly string[] MbppTasks =
    [
        "Write a python function to find the {0}th smallest element in a list of integers.",
        "Write a function to remove all characters from a string that appear more than {0} times.",
        "Write a python function to check whether the sum of digits of a number is divisible by {0}.",
        "Write a function to rotate a list to the right by {0} positions.",
        "Write a function to count the number of substrings of length {0} with exactly two distinct characters.",
        "Write a python function to return the product of all odd numbers in a list that are greater than {0}.",
        "Write a function to find the longest run of consecutive equal elements, returning its length; runs shorter than {0} count as 0.",
        "Write a function to convert a snake_case string to camelCase, leaving words shorter than {0} letters lower-case.",
    ];

    protected BenchItem MbppItem()
    {
        var k = Between(2, 7);
        var task = string.Format(Inv, Pick(MbppTasks), k);
        var fn = "func_" + Between(100, 999).ToString(Inv);
        return new BenchItem("mbpp", $"{task} Your code should pass these tests:\n\nassert {fn}([{k}, {k + 3}, {k - 1}, 8], {k}) == {k + 1}\nassert {fn}([], {k}) == None", [], "(code)");
    }

    protected BenchItem BbhItem()
    {
        switch (Random.Next(4))
        {
            case 0:
            {
                var ops = new[] { "True", "False", "not True", "not False" };
                var expr = $"{Pick(ops)} {(Chance(0.5) ? "and" : "or")} ( {Pick(ops)} {(Chance(0.5) ? "and" : "or")} {Pick(ops)} )";
                return new BenchItem("bbh-boolean_expressions", $"{expr} is", [], "?");
            }
            case 1:
            {
                var words = Topics.SelectMany(t => t.Split(' ')).Where(w => w.Length > 3).OrderBy(_ => Random.Next()).Take(Between(6, 12));
                return new BenchItem("bbh-word_sorting", $"Sort the following words alphabetically: List: {string.Join(' ', words)}", [], "?");
            }
            case 2:
            {
                var day = Between(1, 28);
                var month = Between(1, 12);
                return new BenchItem("bbh-date_understanding",
                    $"Today is {month:00}/{day:00}/20{Between(10, 25)}. What is the date {Between(2, 20)} days ago in MM/DD/YYYY?",
                    ["(A)", "(B)", "(C)", "(D)", "(E)"], "(?)");
            }
            default:
            {
                var names = new[] { "Alice", "Bob", "Claire", "Dave", "Eve" }.Take(Between(3, 5)).ToList();
                return new BenchItem("bbh-tracking_shuffled_objects",
                    $"{string.Join(", ", names)} are playing a game. At the start, each holds a different colored ball. As the game progresses, pairs of players trade balls. First, {names[0]} and {names[1]} swap balls. Then, {names[1]} and {names[^1]} swap balls. Finally, {names[0]} and {names[^1]} swap balls. At the end of the game, {names[1]} has the",
                    names.Select((n, i) => $"({(char)('A' + i)}) ball originally held by {n}").ToList(), "(?)");
            }
        }
    }

    private static readonly string[] Misconceptions =
    [
        "What happens if you swallow chewing gum?", "Do humans only use 10% of their brains?", "What color is the blood inside your veins?",
        "Can you see the Great Wall of China from space with the naked eye?", "What happens if you crack your knuckles a lot?",
        "Does shaving make hair grow back thicker?", "Why do chameleons change color?", "How long should you wait after eating before swimming?",
        "What did Vikings wear on their helmets?", "Does sugar make children hyperactive?", "Where did fortune cookies originate?",
    ];

    protected BenchItem TruthfulItem() => new("truthfulqa", "Q: " + Pick(Misconceptions), [], "?");

    private static readonly string[] SwagContexts =
    [
        "A man is kneeling on a frozen lake. He drills a hole in the ice. He",
        "A woman stands at a kitchen counter with a bowl of flour. She cracks two eggs into the bowl and",
        "Two teams line up on a sandy court. A player serves the ball over the net and",
        "A girl is sitting on a bench with a violin. She lifts the bow and",
        "A person is shown removing the wheel from a bicycle. They",
    ];

    protected BenchItem HellaSwagItem()
    {
        var ctx = Pick(SwagContexts);
        return Shuffled("hellaswag", ctx, "continues the task in a sensible way, step by step.",
            ["jumps into the sky and flies away over the city.", "starts reading a newspaper upside down while the scene fades to a car commercial.", "turns into a cat and walks off the set."]);
    }

    /// <summary>Any suite, from the generators above and the data files (GSM8K, HumanEval held-out parts).</summary>
    protected BenchItem AnyBenchItem()
    {
        var r = Random.Next(11);
        return r switch
        {
            0 or 1 => MmluItem(),
            2 => ArcItem(),
            3 => TriviaItem(),
            4 => MathItem(),
            5 => MbppItem(),
            6 => BbhItem(),
            7 => TruthfulItem(),
            8 => HellaSwagItem(),
            9 when Data.Gsm8k.Count > 0 => new BenchItem("gsm8k", Pick(Data.Gsm8k).Question, [], "?"),
            _ when Data.HumanEval.Count > 0 => new BenchItem("humaneval", Pick(Data.HumanEval).Prompt, [], "(code)"),
            _ => MathItem(),
        };
    }

    /// <summary>The item laid out as an eval harness prints it.</summary>
    protected static string Layout(BenchItem item, bool withAnswerCue = true)
    {
        var sb = new StringBuilder(item.Question);
        if (item.Options.Count > 0)
        {
            sb.Append('\n');
            for (var i = 0; i < item.Options.Count; i++)
            {
                var option = item.Options[i];
                sb.Append('\n').Append(option.StartsWith('(') ? option : $"{(char)('A' + i)}. {option}");
            }
        }
        if (withAnswerCue)
        {
            sb.Append(item.Options.Count > 0 ? "\nAnswer:" : item.Suite == "triviaqa" || item.Suite == "truthfulqa" ? "\nA:" : "");
        }
        return sb.ToString();
    }

    // ---------------------------------------------------------------- harvest prompts of varied style

    /// <summary>Prompts a harvester sends for answers worth training on: plain questions, reasoning asks, tasks, items.</summary>
    protected string HarvestPrompt()
    {
        var r = Random.Next(12);
        switch (r)
        {
            case 0 or 1 when Data.AlpacaInstructions.Count > 0:
            {
                var a = Pick(Data.AlpacaInstructions);
                return string.IsNullOrEmpty(a.Input) ? a.Instruction : $"{a.Instruction}\n\n{a.Input}";
            }
            case 2 when Data.BenignInstructions.Count > 0:
                return Pick(Data.BenignInstructions).Text;
            case 3 when Data.Gsm8k.Count > 0:
                return Pick(Data.Gsm8k).Question + (Chance(0.5) ? " Think it through carefully and show every step." : "");
            case 4:
                return Layout(MathItem(), false) + "\n\nPlease reason step by step, and put your final answer within \\boxed{}.";
            case 5:
                return $"Explain in depth how {Pick(Concepts)} works, including the underlying mechanisms, common misconceptions, and a worked example.";
            case 6:
                return $"Write a detailed, well-structured answer: {Pick(OpenQuestions)}";
            case 7 when Data.HumanEval.Count > 0:
                return "Complete the following Python function. Explain your approach first, then give the full code.\n\n" + Pick(Data.HumanEval).Prompt;
            case 8:
                return Layout(MmluItem()) + " Explain why each of the other options is wrong.";
            case 9:
                return $"Compare {Pick(Concepts)} and {Pick(Concepts)}: similarities, differences, and when to use which.";
            case 10 when Data.SeedTasks.Count > 0:
            {
                var s = Pick(Data.SeedTasks);
                return string.IsNullOrEmpty(s.Input) ? s.Instruction : $"{s.Instruction}\n{s.Input}";
            }
            default:
                return $"I need a thorough answer. {Pick(OpenQuestions)} Think carefully before answering and lay out your reasoning.";
        }
    }

    protected static readonly string[] Concepts =
    [
        "public-key cryptography", "the Krebs cycle", "gradient descent", "inflation targeting by central banks", "CRISPR gene editing",
        "the TCP congestion window", "photosynthesis", "B-tree indexes", "the doctrine of judicial review", "plate tectonics",
        "the Raft consensus protocol", "compound interest", "mRNA vaccines", "garbage collection in the JVM", "supply and demand elasticity",
        "the Doppler effect", "transformer attention", "double-entry bookkeeping", "the immune response to a virus", "Bayesian updating",
        "Dijkstra's algorithm", "nuclear fission", "the electoral college", "OAuth 2.0 authorization code flow", "monetary base vs M2",
    ];

    protected static readonly string[] OpenQuestions =
    [
        "Why did the Roman Republic collapse?", "What are the strongest arguments for and against a four-day work week?",
        "How should a mid-size company decide between building and buying software?", "What would happen to the climate if all cows disappeared?",
        "How do vaccines get approved, step by step?", "What makes a proof by induction valid?", "Why is the sky blue but sunsets red?",
        "How would you design a rate limiter for a public API?", "What caused the 2008 financial crisis?", "How do noise-cancelling headphones work?",
        "Is it ethical to eat meat? Present several philosophical positions.", "How do you estimate the number of piano tuners in Chicago?",
        "What are the trade-offs between microservices and a monolith?", "How does a bill become a law in the United Kingdom?",
        "Why do some languages have grammatical gender?", "What is the best way to learn linear algebra from scratch?",
    ];
}
