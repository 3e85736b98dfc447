namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>Benchmark-shaped items of the fourth held-out population (MMLU, ARC, HellaSwag, MATH, few-shot GSM8K, HumanEval).</summary>
internal static class H4Bench
{
    private static readonly (string Name, string Symbol, int Number)[] Elements =
    [
        ("hydrogen", "H", 1), ("helium", "He", 2), ("carbon", "C", 6), ("nitrogen", "N", 7), ("oxygen", "O", 8), ("sodium", "Na", 11), ("magnesium", "Mg", 12),
        ("aluminium", "Al", 13), ("silicon", "Si", 14), ("phosphorus", "P", 15), ("sulfur", "S", 16), ("chlorine", "Cl", 17), ("potassium", "K", 19),
        ("calcium", "Ca", 20), ("iron", "Fe", 26), ("copper", "Cu", 29), ("zinc", "Zn", 30), ("silver", "Ag", 47), ("gold", "Au", 79), ("lead", "Pb", 82),
    ];

    private static T P<T>(Random r, params T[] items) => items[r.Next(items.Length)];

    private static string Options(Random r, string correct, IEnumerable<string> wrong, string style)
    {
        var all = wrong.Distinct().Where(w => w != correct).Take(3).Append(correct).OrderBy(_ => r.Next()).ToList();
        return string.Join("\n", all.Select((o, i) => style == "paren" ? $"({(char)('A' + i)}) {o}" : $"{(char)('A' + i)}. {o}"));
    }

    public static string Item(Random r, int family, SimulationData data) => family switch
    {
        0 => Mmlu(r),
        1 => Arc(r),
        2 => HellaSwag(r),
        3 => MathProblem(r),
        4 => FewShotGsm8k(r, data),
        _ => data.HumanEval.Count > 0 ? data.HumanEval[r.Next(data.HumanEval.Count)].Prompt : MathProblem(r),
    };

    private static string Mmlu(Random r)
    {
        string subject;
        string question;
        string options;
        switch (r.Next(4))
        {
            case 0:
                subject = P(r, "high school chemistry", "college chemistry");
                var e = P(r, Elements);
                question = $"Which element has atomic number {e.Number}?";
                options = Options(r, e.Name, Elements.OrderBy(_ => r.Next()).Select(x => x.Name), "dot");
                break;
            case 1:
                subject = P(r, "college mathematics", "high school mathematics");
                var a = r.Next(2, 9);
                var n = r.Next(2, 6);
                question = $"What is the derivative of f(x) = {a}x^{n}?";
                options = Options(r, $"{a * n}x^{n - 1}", [$"{a}x^{n - 1}", $"{a * n}x^{n}", $"{a + n}x^{n - 1}", $"{n}x^{a}"], "dot");
                break;
            case 2:
                subject = "high school chemistry";
                var k = r.Next(2, 13);
                question = $"What is the pH of a solution with a hydrogen-ion concentration of 1 × 10^-{k} M?";
                options = Options(r, $"{k}", [$"{14 - k}", $"{k + 1}", $"-{k}", $"{k * 2}"], "dot");
                break;
            default:
                subject = P(r, "high school statistics", "elementary mathematics");
                var p = r.Next(2, 7);
                question = $"A fair die is rolled twice. What is the probability that the sum is {p + 5}?";
                options = Options(r, P(r, "1/6", "5/36", "1/9", "1/12"), ["1/6", "5/36", "1/9", "1/12", "1/18"], "dot");
                break;
        }
        return $"The following are multiple choice questions (with answers) about {subject}.\n\n{question}\n{options}\nAnswer:";
    }

    private static string Arc(Random r)
    {
        var (q, correct, wrong) = r.Next(5) switch
        {
            0 => ("Which of these is a renewable energy resource?", "wind", new[] { "coal", "natural gas", "oil" }),
            1 => ("A student pushes a box across the floor. Which force opposes the motion of the box?", "friction", new[] { "gravity", "magnetism", "buoyancy" }),
            2 => ("Which part of a plant takes in water from the soil?", "roots", new[] { "leaves", "flowers", "seeds" }),
            3 => ("What happens to water vapor when it cools in the air?", "it condenses into droplets", new[] { "it evaporates", "it freezes instantly", "it becomes heavier gas" }),
            _ => ("Which tool is best for measuring the mass of a rock?", "a balance", new[] { "a ruler", "a thermometer", "a graduated cylinder" }),
        };
        return $"Question: {q}\n{Options(r, correct, wrong, "paren")}\nAnswer:";
    }

    private static string HellaSwag(Random r)
    {
        var (ctx, correct, wrong) = r.Next(4) switch
        {
            0 => ("A man is standing on a ladder next to a house. He", "scrapes the old paint off the window frame.", new[] { "dives into the swimming pool below.", "plays the violin to the crowd.", "eats a sandwich on the roof of a car." }),
            1 => ("A woman pours batter into a hot pan. She", "flips the pancake once bubbles appear.", new[] { "puts the pan in the washing machine.", "starts jogging around the kitchen.", "paints the pan blue." }),
            2 => ("Two kids are building a sandcastle on the beach. They", "dig a moat around it with a plastic shovel.", new[] { "drive the sandcastle home.", "hang it on the wall.", "put it into the oven." }),
            _ => ("A person is changing a bicycle tire. They", "use tire levers to pry the tire off the rim.", new[] { "throw the bicycle into the lake.", "ride to the moon.", "fold the tire into a paper airplane." }),
        };
        return $"Choose the most plausible continuation.\n\nContext: {ctx} ...\n{Options(r, correct, wrong, "dot")}\nAnswer with the letter only.";
    }

    private static string MathProblem(Random r)
    {
        var a = r.Next(2, 12);
        var b = r.Next(2, 12);
        return r.Next(4) switch
        {
            0 => $"Problem:\nFind all real numbers $x$ such that $x^2 - {a + b}x + {a * b} = 0$.\n\nSolution:",
            1 => $"Problem:\nWhat is the remainder when $7^{{{a * 10 + b}}}$ is divided by {b + 3}?\n\nSolution:",
            2 => $"Problem:\nHow many positive divisors does ${a * b * 6}$ have?\n\nSolution:",
            _ => $"Problem:\nThe sum of an arithmetic sequence's first {a + 5} terms is {(a + 5) * b * 3}. If the first term is {b}, what is the common difference?\n\nSolution:",
        };
    }

    private static string FewShotGsm8k(Random r, SimulationData data)
    {
        if (data.Gsm8k.Count < 5)
        {
            return MathProblem(r);
        }
        // The chain-of-thought exemplars of Wei et al. (2022), as every few-shot GSM8K harness ships them.
        string[] shots =
        [
            "Q: There are 15 trees in the grove. Grove workers will plant trees in the grove today. After they are done, there will be 21 trees. How many trees did the grove workers plant today?\nA: There are 15 trees originally. Then there were 21 trees after some more were planted. So there must have been 21 - 15 = 6. The answer is 6.",
            "Q: If there are 3 cars in the parking lot and 2 more cars arrive, how many cars are in the parking lot?\nA: There are originally 3 cars. 2 more cars arrive. 3 + 2 = 5. The answer is 5.",
            "Q: Leah had 32 chocolates and her sister had 42. If they ate 35, how many pieces do they have left in total?\nA: Originally, Leah had 32 chocolates. Her sister had 42. So in total they had 32 + 42 = 74. After eating 35, they had 74 - 35 = 39. The answer is 39.",
            "Q: Jason had 20 lollipops. He gave Denny some lollipops. Now Jason has 12 lollipops. How many lollipops did Jason give to Denny?\nA: Jason started with 20 lollipops. Then he had 12 after giving some to Denny. So he gave Denny 20 - 12 = 8. The answer is 8.",
        ];
        var target = data.Gsm8k[r.Next(data.Gsm8k.Count)].Question;
        return string.Join("\n\n", shots) + $"\n\nQ: {target}\nA:";
    }
}
