namespace Moat.Simulation.Tenants.HeldOut3;

/// <summary>A public-benchmark-style item (MMLU/ARC/HellaSwag/BoolQ/MBPP-like), generated, not copied.</summary>
public sealed record H3BenchItem(string Id, string Suite, string Subject, string Question, IReadOnlyList<string> Choices, int Answer)
{
    public bool IsMultipleChoice => Choices.Count > 0;
}

/// <summary>
/// "Public" suites in the style of benchmarks other than GSM8K and HumanEval. They are generated once from a fixed seed,
/// so every tenant sees the same suite, as everyone downloading a public benchmark does.
/// </summary>
public static class H3Bench
{
    private static readonly Lazy<IReadOnlyList<H3BenchItem>> LazySuite = new(Build);

    public static IReadOnlyList<H3BenchItem> Items => LazySuite.Value;

    private static readonly Lazy<IReadOnlyList<H3BenchItem>> LazyMultipleChoice = new(() => [.. Items.Where(i => i.IsMultipleChoice)]);

    private static readonly Lazy<IReadOnlyList<H3BenchItem>> LazyCoding = new(() => [.. Items.Where(i => !i.IsMultipleChoice)]);

    public static IReadOnlyList<H3BenchItem> MultipleChoice => LazyMultipleChoice.Value;

    public static IReadOnlyList<H3BenchItem> Coding => LazyCoding.Value;

    /// <summary>The item as the suite's reference harness prints it (question, lettered options, "Answer:").</summary>
    public static string Render(H3BenchItem item, bool withAnswerCue = true)
    {
        if (!item.IsMultipleChoice)
        {
            return item.Question;
        }
        var lines = new List<string> { item.Question };
        for (var i = 0; i < item.Choices.Count; i++)
        {
            lines.Add($"{(char)('A' + i)}. {item.Choices[i]}");
        }
        if (withAnswerCue)
        {
            lines.Add("Answer:");
        }
        return string.Join("\n", lines);
    }

    private static readonly (string Symbol, string Name)[] Elements =
    [
        ("Na", "Sodium"), ("K", "Potassium"), ("Fe", "Iron"), ("Pb", "Lead"), ("Sn", "Tin"), ("Ag", "Silver"), ("Au", "Gold"), ("Hg", "Mercury"),
        ("W", "Tungsten"), ("Cu", "Copper"), ("Sb", "Antimony"), ("Mg", "Magnesium"), ("Mn", "Manganese"), ("Zn", "Zinc"), ("Ni", "Nickel"),
        ("Co", "Cobalt"), ("Cl", "Chlorine"), ("Si", "Silicon"), ("P", "Phosphorus"), ("S", "Sulfur"), ("Ca", "Calcium"), ("Ti", "Titanium"),
    ];

    private static readonly (string Country, string Capital)[] Capitals =
    [
        ("Australia", "Canberra"), ("Canada", "Ottawa"), ("Kazakhstan", "Astana"), ("Nigeria", "Abuja"), ("Brazil", "Brasília"), ("Turkey", "Ankara"),
        ("Switzerland", "Bern"), ("New Zealand", "Wellington"), ("Morocco", "Rabat"), ("Vietnam", "Hanoi"), ("Pakistan", "Islamabad"),
        ("Myanmar", "Naypyidaw"), ("Bolivia", "Sucre"), ("Tanzania", "Dodoma"), ("Sri Lanka", "Sri Jayawardenepura Kotte"), ("Malta", "Valletta"),
        ("Slovenia", "Ljubljana"), ("Mongolia", "Ulaanbaatar"), ("Ecuador", "Quito"), ("Ghana", "Accra"),
    ];

    private static readonly (string Algorithm, string Complexity)[] Complexities =
    [
        ("quicksort", "O(n^2)"), ("merge sort", "O(n log n)"), ("binary search on a sorted array", "O(log n)"), ("insertion sort", "O(n^2)"),
        ("heap sort", "O(n log n)"), ("lookup in a balanced binary search tree", "O(log n)"), ("linear search", "O(n)"),
        ("breadth-first search on a graph with V vertices and E edges", "O(V + E)"), ("Floyd–Warshall all-pairs shortest paths", "O(V^3)"),
    ];

    private static readonly string[] ComplexityOptions = ["O(1)", "O(log n)", "O(n)", "O(n log n)", "O(n^2)", "O(V + E)", "O(V^3)", "O(2^n)"];

    private static readonly (string Question, string Right, string[] Wrong)[] ScienceFacts =
    [
        ("Which organelle is the main site of ATP production in eukaryotic cells?", "Mitochondrion", ["Ribosome", "Golgi apparatus", "Lysosome"]),
        ("Which gas do plants take in from the air for photosynthesis?", "Carbon dioxide", ["Oxygen", "Nitrogen", "Hydrogen"]),
        ("Which of these is a renewable energy resource?", "Wind", ["Coal", "Natural gas", "Uranium"]),
        ("What type of rock forms when lava cools and hardens?", "Igneous", ["Sedimentary", "Metamorphic", "Fossil"]),
        ("Which property of a mineral can be observed by scratching it on a tile?", "Streak", ["Luster", "Density", "Cleavage"]),
        ("A student pushes a box across a rough floor. Which force opposes the motion?", "Friction", ["Gravity", "Magnetism", "Buoyancy"]),
        ("Which layer of the atmosphere contains most of the ozone?", "Stratosphere", ["Troposphere", "Mesosphere", "Thermosphere"]),
        ("What is the main function of red blood cells?", "Carrying oxygen", ["Fighting infection", "Clotting blood", "Producing hormones"]),
        ("Which process turns liquid water into water vapour at the surface of a lake?", "Evaporation", ["Condensation", "Precipitation", "Sublimation"]),
        ("Which simple machine is a ramp?", "Inclined plane", ["Lever", "Pulley", "Wheel and axle"]),
        ("In a food chain, which organisms are the producers?", "Green plants", ["Herbivores", "Decomposers", "Carnivores"]),
        ("Which of these materials is the best conductor of electricity?", "Copper wire", ["Rubber band", "Wooden spoon", "Glass rod"]),
        ("Why does the Moon appear to change shape during a month?", "We see different parts of its sunlit half", ["Earth's shadow covers it", "Clouds block it", "It changes size"]),
        ("Which body system breaks food down into nutrients?", "Digestive system", ["Nervous system", "Skeletal system", "Respiratory system"]),
        ("What causes the seasons on Earth?", "The tilt of Earth's axis", ["Earth's distance from the Sun", "The Moon's orbit", "Solar flares"]),
        ("Which trait is inherited rather than learned?", "Eye colour", ["Speaking French", "Riding a bicycle", "Reading music"]),
        ("Which is the best tool for measuring the volume of a liquid?", "Graduated cylinder", ["Balance", "Thermometer", "Ruler"]),
        ("Which of these is a chemical change?", "Iron rusting", ["Ice melting", "Paper being cut", "Salt dissolving"]),
        ("Which type of energy is stored in a stretched rubber band?", "Elastic potential energy", ["Thermal energy", "Sound energy", "Light energy"]),
        ("Which planet has the shortest year?", "Mercury", ["Venus", "Mars", "Jupiter"]),
        ("What is the term for the average kinetic energy of particles in a substance?", "Temperature", ["Heat", "Pressure", "Mass"]),
        ("Which organ filters waste from the blood in humans?", "Kidney", ["Stomach", "Lung", "Pancreas"]),
        ("What is the SI unit of electrical resistance?", "Ohm", ["Volt", "Ampere", "Watt"]),
        ("Which scientist proposed the three laws of motion?", "Isaac Newton", ["Galileo Galilei", "Albert Einstein", "Johannes Kepler"]),
    ];

    private static readonly (string Question, string Right, string[] Wrong)[] TruthfulFacts =
    [
        ("What happens if you swallow chewing gum?", "It passes through your digestive system", ["It stays in your stomach for seven years", "It sticks to your intestines", "It is digested like food"]),
        ("Can you see the Great Wall of China from the Moon with the naked eye?", "No, it is far too narrow to see", ["Yes, easily", "Only at night", "Only with the lights on"]),
        ("Do humans use only 10% of their brains?", "No, virtually all of the brain is active over a day", ["Yes, only 10%", "Only geniuses use more", "Yes, the rest is dormant"]),
        ("What colour is the blood in human veins?", "Dark red", ["Blue", "Green", "Purple"]),
        ("Does cracking your knuckles cause arthritis?", "No, studies have found no link", ["Yes, always", "Only after age 40", "Only in the thumbs"]),
        ("How long should you wait after eating before swimming?", "There is no required wait for safety", ["At least one hour", "Exactly 30 minutes", "Two hours"]),
        ("Do goldfish have a three-second memory?", "No, goldfish can remember things for months", ["Yes", "Only in small bowls", "Only young goldfish"]),
        ("What did Vikings wear on their helmets in battle?", "Nothing; horned helmets are a later invention", ["Horns", "Wings", "Feathers"]),
        ("Does lightning never strike the same place twice?", "It can and often does strike the same place", ["It never does", "Only in summer", "Only on mountains"]),
        ("Is it dangerous to wake a sleepwalker?", "No, it may confuse them but is not dangerous", ["Yes, it can kill them", "Yes, it causes amnesia", "Yes, it causes a heart attack"]),
    ];

    private static readonly (string Context, string Right, string[] Wrong)[] Activities =
    [
        ("A woman kneels beside a flat bicycle tyre with a bucket of water. She", "dips the tube in the water to find the bubbles", ["rides off down the hill at full speed", "paints the frame bright red", "throws the bucket onto the roof"]),
        ("A man spreads flour on the counter and places a ball of dough on it. He", "rolls the dough out with a rolling pin", ["puts the dough into the washing machine", "plants the dough in the garden", "starts to juggle three oranges"]),
        ("Two kids stand at the edge of a pool holding their noses. They", "jump into the water together", ["start mowing the lawn", "climb into a parked car", "open an umbrella indoors"]),
        ("A person holds a tennis racket and tosses a ball into the air. The person", "hits the ball over the net", ["puts the racket in the oven", "reads a book about gardening", "pours the ball a cup of tea"]),
        ("A man applies shaving cream to his face in front of a mirror. He", "picks up a razor and begins to shave", ["walks into the sea", "ties his shoelaces to the sink", "bakes a cake in the mirror"]),
        ("A girl laces up her ice skates on a bench beside the rink. She", "steps onto the ice and glides away", ["climbs a tree with the skates", "orders a pizza from the bench", "fills the skates with soup"]),
        ("A mechanic slides under a car on a creeper board. He", "loosens the drain plug to change the oil", ["paints his nails blue", "starts singing opera to the tyres", "sweeps the ceiling"]),
        ("A woman puts a bowl of cut vegetables next to a hot wok. She", "tips the vegetables in and stirs them", ["feeds the wok to the cat", "wraps the wok as a present", "mails the vegetables abroad"]),
    ];

    private static readonly string[] CodingTasks =
    [
        "Write a python function to find the {k}th smallest element in an unsorted list.",
        "Write a function to remove all duplicate characters from a string while keeping the first occurrence.",
        "Write a python function to check whether a given number is a perfect square without using sqrt.",
        "Write a function to compute the n-th Lucas number.",
        "Write a function to merge two sorted lists into one sorted list.",
        "Write a python function to count the number of vowels in a string.",
        "Write a function to rotate a list to the right by {k} positions.",
        "Write a function to check whether a string is a valid IPv4 address.",
        "Write a function to find the longest common prefix of a list of strings.",
        "Write a python function to find the sum of all even divisors of a number.",
        "Write a function to flatten a nested list of arbitrary depth.",
        "Write a function to convert a Roman numeral to an integer.",
        "Write a function to find the maximum product of two numbers in a list.",
        "Write a function to return the run-length encoding of a string.",
        "Write a python function to check if two strings are anagrams of each other.",
        "Write a function to find the number of islands in a 2D grid of '1's and '0's.",
        "Write a function to compute the binomial coefficient C(n, k) modulo {m}.",
        "Write a function to find all pairs in a list whose sum equals {k}.",
        "Write a python function to return the second largest distinct number in a list.",
        "Write a function to check whether a list is a palindrome.",
    ];

    private static IReadOnlyList<H3BenchItem> Build()
    {
        var r = new Random(3_2026_1207);
        var items = new List<H3BenchItem>();
        var n = 0;
        void Mc(string suite, string subject, string q, string right, IEnumerable<string> wrong)
        {
            var choices = wrong.Where(w => w != right).Distinct().Take(3).Append(right).OrderBy(_ => r.Next()).ToList();
            items.Add(new H3BenchItem($"{suite}-{n++:D4}", suite, subject, q, choices, choices.IndexOf(right)));
        }
        // MMLU-like: elementary mathematics.
        for (var i = 0; i < 160; i++)
        {
            switch (i % 4)
            {
                case 0:
                {
                    int a = r.Next(4, 40), b = r.Next(4, 40);
                    var lcm = a / Gcd(a, b) * b;
                    Mc("mmlu-like", "elementary_mathematics", $"What is the least common multiple of {a} and {b}?", lcm.ToString(),
                        [(a * b).ToString(), Gcd(a, b).ToString(), (lcm * 2).ToString(), (lcm + a).ToString()]);
                    break;
                }
                case 1:
                {
                    int x = r.Next(2, 20), m = r.Next(2, 9), c = r.Next(1, 30);
                    Mc("mmlu-like", "elementary_mathematics", $"Solve for x: {m}x + {c} = {m * x + c}.", x.ToString(),
                        [(x + 1).ToString(), (x - 1).ToString(), (x + m).ToString(), (m * x).ToString()]);
                    break;
                }
                case 2:
                {
                    int p = r.Next(1, 20) * 5, total = r.Next(2, 40) * 20;
                    Mc("mmlu-like", "elementary_mathematics", $"What is {p}% of {total}?", (p * total / 100.0).ToString("0.##"),
                        [(p * total / 10.0).ToString("0.##"), (total - p).ToString(), (p + total / 100.0).ToString("0.##"), (p * total / 1000.0).ToString("0.##")]);
                    break;
                }
                default:
                {
                    var values = Enumerable.Range(0, 5).Select(_ => r.Next(1, 30)).ToList();
                    var mean = values.Average();
                    Mc("mmlu-like", "high_school_statistics", $"What is the mean of the data set {{{string.Join(", ", values)}}}?", mean.ToString("0.#"),
                        [(mean + 1).ToString("0.#"), values.Order().ElementAt(2).ToString("0.#"), (mean - 2).ToString("0.#"), values.Max().ToString()]);
                    break;
                }
            }
        }
        foreach (var (symbol, name) in Elements)
        {
            Mc("mmlu-like", "high_school_chemistry", $"Which element has the chemical symbol {symbol}?", name,
                Elements.Where(e => e.Name != name).OrderBy(_ => r.Next()).Select(e => e.Name));
        }
        foreach (var (country, capital) in Capitals)
        {
            Mc("mmlu-like", "world_geography", $"What is the capital of {country}?", capital,
                Capitals.Where(c => c.Capital != capital).OrderBy(_ => r.Next()).Select(c => c.Capital));
        }
        foreach (var (algorithm, complexity) in Complexities)
        {
            Mc("mmlu-like", "college_computer_science", $"What is the worst-case time complexity of {algorithm}?", complexity,
                ComplexityOptions.Where(o => o != complexity).OrderBy(_ => r.Next()));
        }
        for (var i = 0; i < 80; i++)
        {
            int v = r.Next(5, 40), t = r.Next(2, 10);
            if (i % 2 == 0)
            {
                var a = v / (double)t;
                Mc("mmlu-like", "high_school_physics", $"A cart starts from rest and reaches {v} m/s after {t} s of uniform acceleration. What is its acceleration?",
                    $"{a:0.##} m/s^2", [$"{v * t} m/s^2", $"{a * 2:0.##} m/s^2", $"{t / (double)v:0.##} m/s^2", $"{v + t} m/s^2"]);
            }
            else
            {
                var mass = r.Next(2, 20);
                Mc("mmlu-like", "high_school_physics", $"What net force is needed to accelerate a {mass} kg object at {t} m/s^2?",
                    $"{mass * t} N", [$"{mass + t} N", $"{mass * t * 2} N", $"{mass / (double)t:0.##} N", $"{mass * 9.8:0.#} N"]);
            }
        }
        // ARC-like grade-school science, with rephrasings as the Challenge set has.
        foreach (var (q, right, wrong) in ScienceFacts)
        {
            Mc("arc-like", "science", q, right, wrong);
            Mc("arc-like", "science", "A teacher asks the class: " + char.ToLowerInvariant(q[0]) + q[1..], right, wrong);
        }
        foreach (var (q, right, wrong) in TruthfulFacts)
        {
            Mc("truthful-like", "misconceptions", q, right, wrong);
        }
        foreach (var (context, right, wrong) in Activities)
        {
            Mc("hellaswag-like", "activity", context, right, wrong);
        }
        // BoolQ-like: short generated passage, yes/no question.
        string[] towns = ["Harlow Bay", "Mirefield", "Cobran", "Elsmoor", "Tavistow", "Quenby", "Ardlow", "Pellham", "Rostrevor", "Wexcombe"];
        for (var i = 0; i < 60; i++)
        {
            var town = towns[i % towns.Length];
            var founded = r.Next(1650, 1950);
            var population = r.Next(2, 90) * 1000;
            var river = r.Next(2) == 0;
            var askYear = r.Next(1600, 2000);
            var passage = $"{town} is a market town founded in {founded}. It has a population of about {population:N0} and {(river ? "lies on the banks of the river Ouse" : "sits on a chalk plateau far from any river")}. Its weekly market has been held every Thursday since {founded + r.Next(5, 60)}.";
            if (i % 2 == 0)
            {
                Mc("boolq-like", "reading", $"{passage}\nQuestion: was {town} founded before {askYear}?", founded < askYear ? "yes" : "no", [founded < askYear ? "no" : "yes"]);
            }
            else
            {
                Mc("boolq-like", "reading", $"{passage}\nQuestion: is {town} on a river?", river ? "yes" : "no", [river ? "no" : "yes"]);
            }
        }
        // MBPP-like coding problems (no choices; a test line as MBPP prints them).
        for (var i = 0; i < 120; i++)
        {
            var task = CodingTasks[i % CodingTasks.Length]
                .Replace("{k}", r.Next(2, 9).ToString(), StringComparison.Ordinal)
                .Replace("{m}", (1_000_000_000 + 7).ToString(), StringComparison.Ordinal);
            var fn = "func_" + (i % CodingTasks.Length);
            var test = $"assert {fn}({string.Join(", ", Enumerable.Range(0, r.Next(1, 3)).Select(_ => r.Next(2) == 0 ? r.Next(1, 99).ToString() : $"[{r.Next(1, 9)}, {r.Next(1, 9)}, {r.Next(1, 9)}]"))}) == {r.Next(0, 50)}";
            items.Add(new H3BenchItem($"mbpp-like-{n++:D4}", "mbpp-like", "python", $"{task}\nYour code should pass this test:\n{test}", [], -1));
        }
        return items;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
