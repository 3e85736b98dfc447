using System.Globalization;
using System.Text;

namespace Moat.Simulation.Tenants.HeldOut;

/// <summary>A benchmark-style item: which family it imitates and the prompt text (without any harness template).</summary>
public sealed record BenchmarkItem(string Family, string Text);

/// <summary>
/// The text generators of the held-out population: templates with slots, word lists and programmatic item generators,
/// written independently of the development population (they were not derived from the detector or its tuning tenants).
/// Benchmark-style families the detector never indexed (lettered multiple choice, competition maths, short code tasks,
/// trivia) are generated here; GSM8K and HumanEval items come from the held-out split only.
/// </summary>
public sealed class HeldOutText(Random random, SimulationData data)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public SimulationData Data => data;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private int Between(int min, int maxInclusive) => random.Next(min, maxInclusive + 1);

    private bool Chance(double p) => random.NextDouble() < p;

    // ----------------------------------------------------------------------------------------------------------------
    // Ordinary requests
    // ----------------------------------------------------------------------------------------------------------------

    private static readonly string[] HowTos =
    [
        "get red wine out of a light carpet", "stop a squeaky door hinge", "set up a monthly budget in a spreadsheet", "make my sourdough less dense",
        "ask my manager for a raise without sounding demanding", "patch a bike inner tube", "move my photos off my phone before it dies",
        "get a two-year-old to sleep before 8pm", "clean rust off a cast iron pan", "prepare for a panel interview at a bank",
        "write a good pull request description", "keep basil alive on a windowsill", "negotiate rent with my landlord", "stop procrastinating on my thesis",
        "split bills fairly with housemates who earn different amounts", "convert a recipe from cups to grams", "set up two-factor authentication on my email",
        "learn to touch type as an adult", "lower my electricity bill in winter", "remember people's names at networking events",
    ];

    private static readonly (string A, string B)[] Contrasts =
    [
        ("a Roth IRA", "a traditional IRA"), ("baking soda", "baking powder"), ("TCP", "UDP"), ("weather", "climate"), ("a virus", "a bacterium"),
        ("a latte", "a flat white"), ("RAM", "disk storage"), ("an LLC", "a sole proprietorship"), ("affect", "effect"), ("a mortgage broker", "a bank"),
        ("HIIT", "steady cardio"), ("a git merge", "a git rebase"), ("stocks", "bonds"), ("an allergy", "an intolerance"), ("Python lists", "tuples"),
    ];

    private static readonly (string What, string For)[] ShortPieces =
    [
        ("birthday message", "my grandmother who is turning 90"), ("thank-you note", "a colleague who covered my shift"), ("toast", "my brother's wedding"),
        ("out-of-office reply", "a two-week holiday"), ("condolence card", "a neighbour who lost her husband"), ("apology text", "a friend whose party I missed"),
        ("farewell message", "a teammate leaving for another company"), ("reference letter", "a former intern"),
    ];

    private static readonly string[] Concepts =
    [
        "compound interest", "how vaccines train the immune system", "why the sky is blue", "inflation", "how a refrigerator works", "black holes",
        "the electoral college", "how noise-cancelling headphones work", "photosynthesis", "why we have leap years", "how credit scores are calculated",
        "what a blockchain is", "how tides work", "the placebo effect", "how GPS finds your location",
    ];

    private static readonly string[] Audiences = ["I'm ten", "I'm a complete beginner", "I know some high-school science", "I'm explaining it to my parents", "I have two minutes"];

    private static readonly string[] Cities = ["Lisbon", "Kyoto", "Montreal", "Edinburgh", "Mexico City", "Ljubljana", "Hanoi", "Cape Town", "Vienna", "Buenos Aires", "Seoul", "Tallinn"];

    private static readonly string[] Media = ["novels", "podcasts", "board games", "documentaries", "TV series", "albums", "video games"];

    private static readonly string[] Titles = ["The Martian", "Serial", "Catan", "Planet Earth", "The Bear", "Rumours", "Stardew Valley", "Station Eleven", "Succession"];

    private static readonly string[] Worries =
    [
        "my laptop fan is loud all the time", "my dishwasher leaves a white film on glasses", "my car makes a clicking noise when I turn left",
        "my sourdough starter smells like nail polish", "my wifi drops every evening around 9", "my monstera has yellow leaves", "my phone battery drains overnight",
    ];

    public static readonly string[] Languages = ["French", "German", "Spanish", "Portuguese", "Italian", "Japanese", "Korean", "Dutch", "Polish", "Turkish", "Vietnamese", "Indonesian"];

    /// <summary>An everyday request a person might type into a chat app: half human-written (held-out data), half from templates.</summary>
    public string Ordinary()
    {
        if (Chance(0.5) && data.BenignInstructions.Count > 0)
        {
            return Pick(data.BenignInstructions).Text;
        }
        return random.Next(11) switch
        {
            0 => $"How do I {Pick(HowTos)}?",
            1 => $"any tips to {Pick(HowTos)}",
            2 => Contrast(Pick(Contrasts)),
            3 => ShortPiece(Pick(ShortPieces)),
            4 => $"Explain {Pick(Concepts)} like {Pick(Audiences)}.",
            5 => $"Plan a {Between(2, 6)}-day trip to {Pick(Cities)} on a {Pick(new[] { "tight", "moderate", "generous" })} budget.",
            6 => $"Recommend {Between(3, 8)} {Pick(Media)} similar to {Pick(Titles)}.",
            7 => $"{Pick(new[] { "Hmm,", "Quick question:", "Help!", "" })} {Pick(Worries)}. Any idea what's wrong?".Trim(),
            8 => $"How would you say \"{Pick(new[] { "where is the nearest pharmacy", "we'd like the bill please", "I'm allergic to peanuts", "see you tomorrow" })}\" in {Pick(Languages)}?",
            9 => $"Help me come up with a name for my {Pick(new[] { "bakery", "cat", "podcast about gardening", "climbing club", "consulting business" })}.",
            _ => $"Fix the grammar: \"{Pick(new[] { "me and him goes to the store yesterday", "their going to be late, its not my fault", "less people came then we expected", "who's book is this" })}\"",
        };
    }

    private static string Contrast((string A, string B) pair) => $"What's the difference between {pair.A} and {pair.B}?";

    private static string ShortPiece((string What, string For) piece) => $"Can you write a short {piece.What} for {piece.For}?";

    private static readonly string[] FollowUpLines =
    [
        "Thanks! Can you make that shorter?", "ok and what if I only have an hour?", "Could you put that in a table?", "Why is that?", "Can you give me an example?",
        "That's too formal, make it friendlier.", "what about for someone on a budget", "Great, and the second option?", "Hmm, I don't think that's right, can you double check?",
        "Can you say it in simpler words?", "perfect, one more thing: how long does it take?", "Can you add a bit about costs?", "translate that to Spanish please",
    ];

    public string FollowUp() => Pick(FollowUpLines);

    public string ChatSystemPrompt() => Pick(new[]
    {
        "You are a friendly assistant.", "You are ChatPal, a helpful and concise assistant. Today's date is 2025-01-06.",
        "Answer helpfully. Use markdown when it helps readability.", "You are an AI assistant embedded in a note-taking app. Keep answers brief.",
    });

    // ----------------------------------------------------------------------------------------------------------------
    // Word problems (tutoring, worksheets)
    // ----------------------------------------------------------------------------------------------------------------

    private static readonly string[] Names = ["Amara", "Jonas", "Priya", "Mateo", "Lena", "Kwame", "Sofia", "Hiroshi", "Noor", "Ellie", "Tomasz", "Rafael", "Zainab", "Oliver"];

    private static readonly (string Item, string Unit)[] Goods =
    [
        ("stickers", "sheet"), ("pencils", "box"), ("cookies", "tray"), ("marbles", "bag"), ("trading cards", "pack"), ("eggs", "carton"), ("apples", "crate"),
    ];

    /// <summary>A freshly generated grade-school word problem (not a GSM8K item).</summary>
    public string WordProblem()
    {
        var name = Pick(Names);
        var other = Pick(Names);
        var (item, unit) = Pick(Goods);
        return random.Next(8) switch
        {
            0 => $"{name} buys {Between(3, 9)} {unit}s of {item} with {Between(6, 24)} {item} in each {unit}. {name} gives {Between(5, 20)} {item} to friends. How many {item} are left?",
            1 => $"A train travels {Between(12, 40) * 10} km in {Between(2, 5)} hours. At the same speed, how far does it travel in {Between(6, 9)} hours?",
            2 => $"{name} earns ${Between(12, 30)} an hour and works {Between(10, 35)} hours a week. If {name} saves {Pick(new[] { 10, 20, 25, 40 })}% of it, how much is saved after {Between(3, 12)} weeks?",
            3 => $"A rectangle has a perimeter of {Between(10, 40) * 2} cm and a length of {Between(5, 9)} cm. What is its area?",
            4 => $"A jacket costs ${Between(40, 160)}. It is reduced by {Pick(new[] { 10, 15, 20, 30 })}%, and then a coupon takes off another ${Between(3, 12)}. What is the final price?",
            5 => $"{name} is {Between(2, 4)} times as old as {other}. In {Between(3, 10)} years the sum of their ages will be {Between(30, 80)}. How old is {other} now?",
            6 => $"Solve for x: {Between(2, 9)}x + {Between(1, 30)} = {Between(31, 120)}",
            _ => $"What is {Between(1, 7)}/{Between(8, 12)} + {Between(1, 5)}/{Between(6, 9)}? Give the answer as a fraction in lowest terms.",
        };
    }

    /// <summary>How a student phrases a problem to a tutor (explanation cues are natural here).</summary>
    public string StudentAsk(string problem) => random.Next(9) switch
    {
        0 => $"I don't get this one: {problem} Can you show me how to work it out?",
        1 => $"{problem} Please explain each step.",
        2 => $"Homework question: {problem} show your working",
        3 => $"how do i solve this {problem}",
        4 => $"Can you help me with this problem? {problem} I got a different answer from the book.",
        5 => $"{problem}\nExplain it step by step, I'm revising for a test.",
        6 => $"My teacher gave us: \"{problem}\" Where do I even start?",
        7 => $"Check my reasoning please. {problem} I think the answer is {Between(2, 90)}.",
        _ => problem,
    };

    private static readonly string[] TutorReplies =
    [
        "wait why did you multiply there?", "ok I understand the first part. what happens next?", "can you give me a similar one to try?",
        "I got {0}, is that right?", "so the answer is {0}?", "thanks!! can you explain the last step again", "is there a faster way?",
    ];

    public string StudentFollowUp() => string.Format(C, Pick(TutorReplies), Between(2, 200));

    // ----------------------------------------------------------------------------------------------------------------
    // Benchmark-style items
    // ----------------------------------------------------------------------------------------------------------------

    private static readonly (string Name, string Symbol)[] Elements =
    [
        ("sodium", "Na"), ("potassium", "K"), ("iron", "Fe"), ("silver", "Ag"), ("gold", "Au"), ("lead", "Pb"), ("tin", "Sn"), ("copper", "Cu"), ("mercury", "Hg"),
        ("tungsten", "W"), ("antimony", "Sb"), ("calcium", "Ca"), ("magnesium", "Mg"), ("chlorine", "Cl"), ("phosphorus", "P"), ("zinc", "Zn"), ("nickel", "Ni"),
        ("helium", "He"), ("neon", "Ne"), ("argon", "Ar"), ("sulfur", "S"), ("carbon", "C"), ("nitrogen", "N"), ("uranium", "U"), ("platinum", "Pt"),
    ];

    private static readonly (string Country, string Capital)[] Capitals =
    [
        ("Australia", "Canberra"), ("Canada", "Ottawa"), ("Brazil", "Brasília"), ("Turkey", "Ankara"), ("Nigeria", "Abuja"), ("Kazakhstan", "Astana"),
        ("New Zealand", "Wellington"), ("Switzerland", "Bern"), ("Morocco", "Rabat"), ("Vietnam", "Hanoi"), ("Pakistan", "Islamabad"), ("Tanzania", "Dodoma"),
        ("Myanmar", "Naypyidaw"), ("Bolivia", "Sucre"), ("Sri Lanka", "Sri Jayawardenepura Kotte"), ("Côte d'Ivoire", "Yamoussoukro"), ("Kenya", "Nairobi"),
        ("Chile", "Santiago"), ("Norway", "Oslo"), ("Egypt", "Cairo"), ("Peru", "Lima"), ("Mongolia", "Ulaanbaatar"), ("Iceland", "Reykjavík"),
    ];

    private static readonly (string Book, string Author)[] Books =
    [
        ("Middlemarch", "George Eliot"), ("Things Fall Apart", "Chinua Achebe"), ("One Hundred Years of Solitude", "Gabriel García Márquez"), ("Beloved", "Toni Morrison"),
        ("The Trial", "Franz Kafka"), ("Mrs Dalloway", "Virginia Woolf"), ("Crime and Punishment", "Fyodor Dostoevsky"), ("The Tale of Genji", "Murasaki Shikibu"),
        ("Don Quixote", "Miguel de Cervantes"), ("Frankenstein", "Mary Shelley"), ("The Remains of the Day", "Kazuo Ishiguro"), ("Invisible Man", "Ralph Ellison"),
        ("Madame Bovary", "Gustave Flaubert"), ("Wuthering Heights", "Emily Brontë"), ("The Master and Margarita", "Mikhail Bulgakov"), ("Dune", "Frank Herbert"),
    ];

    private static readonly (string Thing, string Who)[] Inventions =
    [
        ("the World Wide Web", "Tim Berners-Lee"), ("the telephone", "Alexander Graham Bell"), ("dynamite", "Alfred Nobel"), ("the polio vaccine", "Jonas Salk"),
        ("the periodic table", "Dmitri Mendeleev"), ("the theory of general relativity", "Albert Einstein"), ("penicillin", "Alexander Fleming"),
        ("the printing press with movable type in Europe", "Johannes Gutenberg"), ("the laws of planetary motion", "Johannes Kepler"), ("radioactivity's discovery", "Henri Becquerel"),
    ];

    private static readonly (string Category, string[] Members, string[] Others)[] ScienceSets =
    [
        ("mammal", ["whale", "bat", "platypus", "dolphin", "goat"], ["shark", "penguin", "frog", "salmon", "lizard", "ostrich"]),
        ("insect", ["ant", "beetle", "moth", "grasshopper", "bee"], ["spider", "scorpion", "earthworm", "crab", "centipede", "snail"]),
        ("renewable energy source", ["wind", "solar", "geothermal", "tidal"], ["coal", "natural gas", "oil", "peat"]),
        ("gas at room temperature", ["oxygen", "carbon dioxide", "helium", "nitrogen"], ["mercury", "iron", "water", "salt", "wax"]),
        ("conductor of electricity", ["copper wire", "aluminium foil", "a steel nail", "graphite"], ["rubber", "glass", "dry wood", "plastic", "paper"]),
        ("physical change", ["ice melting", "sugar dissolving in tea", "cutting paper", "water boiling"], ["iron rusting", "wood burning", "milk souring", "baking a cake"]),
    ];

    private static readonly (string Question, string Answer, string[] Wrong)[] ConceptItems =
    [
        ("Which organelle is the main site of ATP production in eukaryotic cells?", "Mitochondrion", ["Ribosome", "Golgi apparatus", "Lysosome"]),
        ("In a perfectly competitive market in the long run, firms earn", "zero economic profit", ["positive economic profit", "negative accounting profit", "monopoly rents"]),
        ("Which amendment to the US Constitution abolished slavery?", "The Thirteenth", ["The Fifth", "The Fifteenth", "The Nineteenth"]),
        ("Which of these is a prime number?", "97", ["91", "87", "111"]),
        ("The time complexity of binary search on a sorted array of n elements is", "O(log n)", ["O(n)", "O(n log n)", "O(1)"]),
        ("Which layer of the OSI model is responsible for routing?", "Network layer", ["Transport layer", "Data link layer", "Session layer"]),
        ("A fallacy that attacks the person instead of the argument is called", "ad hominem", ["straw man", "false dilemma", "begging the question"]),
        ("Which hormone lowers blood glucose?", "Insulin", ["Glucagon", "Cortisol", "Adrenaline"]),
        ("What is the SI unit of capacitance?", "Farad", ["Henry", "Tesla", "Weber"]),
        ("Which philosopher wrote the 'Critique of Pure Reason'?", "Immanuel Kant", ["David Hume", "G. W. F. Hegel", "John Locke"]),
        ("In Keynesian economics, an increase in government spending with no change in taxes will", "increase aggregate demand", ["decrease aggregate demand", "leave output unchanged", "reduce the money supply"]),
        ("Which blood type is the universal donor for red cells?", "O negative", ["AB positive", "A negative", "B positive"]),
    ];

    private static readonly string[] Subjects =
    [
        "high school chemistry", "world geography", "literature", "college mathematics", "high school physics", "elementary science", "miscellaneous", "college biology",
    ];

    /// <summary>A lettered multiple-choice item (MMLU/ARC-like), generated: stem, four options and the answer cue.</summary>
    public BenchmarkItem MultipleChoice(bool arcStyle = false)
    {
        string stem, right;
        string[] wrong;
        string subject;
        switch (random.Next(arcStyle ? 2 : 7))
        {
            case 0:
            {
                var set = Pick(ScienceSets);
                subject = "elementary science";
                stem = $"Which of the following is an example of a {set.Category}?";
                right = Pick(set.Members);
                wrong = set.Others.OrderBy(_ => random.Next()).Take(3).ToArray();
                break;
            }
            case 1:
            {
                var set = Pick(ScienceSets);
                subject = "elementary science";
                var odd = Pick(set.Others);
                stem = $"A student sorts items into a group labelled '{set.Category}'. Which item does NOT belong in that group?";
                right = odd;
                wrong = set.Members.OrderBy(_ => random.Next()).Take(3).ToArray();
                break;
            }
            case 2:
            {
                var e = Pick(Elements);
                subject = "high school chemistry";
                stem = $"What is the chemical symbol for {e.Name}?";
                right = e.Symbol;
                wrong = Elements.Where(x => x.Symbol != e.Symbol).OrderBy(_ => random.Next()).Take(3).Select(x => x.Symbol).ToArray();
                break;
            }
            case 3:
            {
                var cap = Pick(Capitals);
                subject = "world geography";
                stem = $"What is the capital city of {cap.Country}?";
                right = cap.Capital;
                wrong = Capitals.Where(x => x.Capital != cap.Capital).OrderBy(_ => random.Next()).Take(3).Select(x => x.Capital).ToArray();
                break;
            }
            case 4:
            {
                var b = Pick(Books);
                subject = "literature";
                stem = $"Who is the author of \"{b.Book}\"?";
                right = b.Author;
                wrong = Books.Where(x => x.Author != b.Author).OrderBy(_ => random.Next()).Take(3).Select(x => x.Author).ToArray();
                break;
            }
            case 5:
            {
                var a = Between(2, 9);
                var n = Between(2, 7);
                subject = "college mathematics";
                stem = $"What is the derivative of f(x) = {a}x^{n} with respect to x?";
                right = $"{a * n}x^{n - 1}";
                wrong = [$"{a}x^{n - 1}", $"{a * n}x^{n}", $"{a + n}x^{n - 1}"];
                break;
            }
            default:
            {
                var item = Pick(ConceptItems);
                subject = Pick(Subjects);
                stem = item.Question;
                right = item.Answer;
                wrong = item.Wrong;
                break;
            }
        }
        var options = wrong.Append(right).OrderBy(_ => random.Next()).ToList();
        var letters = "ABCD";
        var sb = new StringBuilder();
        if (arcStyle)
        {
            sb.Append("Question: ").Append(stem).Append('\n');
            sb.Append(string.Join(" ", options.Select((o, i) => $"({letters[i]}) {o}")));
        }
        else
        {
            sb.Append(C, $"The following is a multiple choice question about {subject}.\n\n{stem}\n");
            for (var i = 0; i < options.Count; i++)
            {
                sb.Append(C, $"{letters[i]}. {options[i]}\n");
            }
            sb.Append("Answer:");
        }
        return new BenchmarkItem(arcStyle ? "arc" : "mmlu", sb.ToString());
    }

    /// <summary>A competition-style maths problem (MATH-like, with LaTeX), generated.</summary>
    public BenchmarkItem CompetitionMath()
    {
        var text = random.Next(10) switch
        {
            0 => $"Find the remainder when ${Between(2, 9)}^{{{Between(50, 400)}}}$ is divided by ${Pick(new[] { 7, 11, 13, 17, 19 })}$.",
            1 => $"How many positive divisors does ${Between(2, 30) * Pick(new[] { 12, 18, 20, 36, 45 })}$ have?",
            2 => $"What is the sum of all integer values of $x$ such that $x^2 - {Between(5, 15)}x + {Between(4, 20)} < 0$?",
            3 => $"Let $f(x) = {Between(2, 9)}x - {Between(1, 12)}$. Find $f^{{-1}}({Between(10, 60)})$.",
            4 => $"Compute $\\dbinom{{{Between(8, 20)}}}{{{Between(2, 6)}}}$.",
            5 => $"The sum of two numbers is ${Between(20, 80)}$ and their difference is ${Between(2, 18)}$. What is their product?",
            6 => $"If $\\log_{{{Between(2, 5)}}} x = {Between(2, 6)}$, what is the value of $x$?",
            7 => $"A regular polygon has interior angles of ${Pick(new[] { 140, 150, 156, 160, 162, 165 })}^\\circ$. How many sides does the polygon have?",
            8 => $"What is the smallest positive integer $n$ such that ${Between(3, 9)}n \\equiv {Between(1, 10)} \\pmod{{{Pick(new[] { 11, 13, 17, 23 })}}}$?",
            _ => $"Evaluate $\\left\\lceil \\sqrt{{{Between(20, 500)}}} \\right\\rceil + \\left\\lfloor \\frac{{{Between(30, 99)}}}{{{Between(4, 9)}}} \\right\\rfloor$.",
        };
        return new BenchmarkItem("math", text);
    }

    private static readonly (string Task, string Function, Func<Random, (string Args, string Result)> Case)[] CodeTasks =
    [
        ("find the sum of the digits of a non-negative integer", "sum_digits", r => { var n = r.Next(10, 99999); return (n.ToString(C), n.ToString(C).Sum(d => d - '0').ToString(C)); }),
        ("check whether a number is a perfect square", "is_perfect_square", r => { var n = r.Next(2, 400); var s = (int)Math.Sqrt(n); return (n.ToString(C), s * s == n ? "True" : "False"); }),
        ("compute the factorial of n", "factorial", r => { var n = r.Next(0, 10); long f = 1; for (var i = 2; i <= n; i++) { f *= i; } return (n.ToString(C), f.ToString(C)); }),
        ("return the n-th Fibonacci number, with fib(0) = 0", "fib", r => { var n = r.Next(1, 25); long a = 0, b = 1; for (var i = 0; i < n; i++) { (a, b) = (b, a + b); } return (n.ToString(C), a.ToString(C)); }),
        ("convert a non-negative integer to its binary representation as a string", "to_binary", r => { var n = r.Next(1, 1000); return (n.ToString(C), $"'{Convert.ToString(n, 2)}'"); }),
        ("find the largest of three numbers", "max_of_three", r => { var a = r.Next(-50, 50); var b = r.Next(-50, 50); var c = r.Next(-50, 50); return ($"{a}, {b}, {c}", Math.Max(a, Math.Max(b, c)).ToString(C)); }),
        ("count the number of set bits in a non-negative integer", "count_set_bits", r => { var n = r.Next(0, 5000); return (n.ToString(C), System.Numerics.BitOperations.PopCount((uint)n).ToString(C)); }),
        ("find the greatest common divisor of two positive integers", "gcd", r => { int a = r.Next(2, 300), b = r.Next(2, 300); int x = a, y = b; while (y != 0) { (x, y) = (y, x % y); } return ($"{a}, {b}", x.ToString(C)); }),
        ("check whether a string is a palindrome, ignoring case", "is_palindrome", r => { var w = new[] { "Level", "python", "Racecar", "moat", "noon", "abca" }[r.Next(6)]; var lw = w.ToLowerInvariant(); return ($"'{w}'", lw.SequenceEqual(lw.Reverse()) ? "True" : "False"); }),
        ("count the vowels in a string", "count_vowels", r => { var w = new[] { "distillation", "benchmark", "gateway", "queue", "rhythm", "education" }[r.Next(6)]; return ($"'{w}'", w.Count(ch => "aeiou".Contains(ch, StringComparison.Ordinal)).ToString(C)); }),
        ("find the sum of the squares of the first n natural numbers", "square_sum", r => { var n = r.Next(1, 30); return (n.ToString(C), (n * (n + 1) * (2 * n + 1) / 6).ToString(C)); }),
        ("check whether a year is a leap year", "is_leap", r => { var y = r.Next(1890, 2100); return (y.ToString(C), (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? "True" : "False"); }),
        ("find the n-th triangular number", "triangular", r => { var n = r.Next(1, 100); return (n.ToString(C), (n * (n + 1) / 2).ToString(C)); }),
        ("remove all whitespace from a string", "remove_spaces", r => { var w = new[] { "a b c", " hello world ", "p y thon", "no_spaces" }[r.Next(4)]; return ($"'{w}'", $"'{w.Replace(" ", "", StringComparison.Ordinal)}'"); }),
    ];

    /// <summary>A short code task with asserts (MBPP-like), generated.</summary>
    public BenchmarkItem CodeTask()
    {
        var (task, function, make) = Pick(CodeTasks);
        var sb = new StringBuilder();
        sb.Append(C, $"Write a python function to {task}.");
        sb.Append("\nYour code should pass these tests:\n\n");
        for (var i = 0; i < 3; i++)
        {
            var (args, result) = make(random);
            sb.Append(C, $"assert {function}({args}) == {result}\n");
        }
        return new BenchmarkItem("mbpp", sb.ToString().TrimEnd());
    }

    private static readonly (string Detective, string Author)[] Detectives =
    [
        ("Hercule Poirot", "Agatha Christie"), ("Inspector Maigret", "Georges Simenon"), ("Philip Marlowe", "Raymond Chandler"), ("Inspector Morse", "Colin Dexter"),
        ("Kurt Wallander", "Henning Mankell"), ("Lord Peter Wimsey", "Dorothy L. Sayers"), ("Precious Ramotswe", "Alexander McCall Smith"),
    ];

    private static readonly (string Painting, string Painter)[] Paintings =
    [
        ("The Garden of Earthly Delights", "Hieronymus Bosch"), ("The Night Watch", "Rembrandt"), ("Guernica", "Pablo Picasso"), ("The Persistence of Memory", "Salvador Dalí"),
        ("Las Meninas", "Diego Velázquez"), ("The Birth of Venus", "Sandro Botticelli"), ("Nighthawks", "Edward Hopper"), ("The Scream", "Edvard Munch"),
    ];

    /// <summary>A trivia question (TriviaQA-like), generated from small fact tables.</summary>
    public BenchmarkItem Trivia()
    {
        var text = random.Next(6) switch
        {
            0 => $"Which crime writer created the detective {Pick(Detectives).Detective}?",
            1 => $"Who painted '{Pick(Paintings).Painting}'?",
            2 => $"Who is credited with {Pick(Inventions).Thing}?",
            3 => $"{Pick(Capitals).Capital} is the capital of which country?",
            4 => $"Which element has the chemical symbol {Pick(Elements).Symbol}?",
            _ => $"Which novelist wrote '{Pick(Books).Book}'?",
        };
        return new BenchmarkItem("trivia", text);
    }

    public BenchmarkItem Gsm8k() => new("gsm8k", Pick(data.Gsm8k).Question);

    public BenchmarkItem HumanEval() => new("humaneval", Pick(data.HumanEval).Prompt);

    /// <summary>An item of the given family: mmlu, arc, math, mbpp, trivia, gsm8k, humaneval.</summary>
    public BenchmarkItem Item(string family) => family switch
    {
        "mmlu" => MultipleChoice(),
        "arc" => MultipleChoice(arcStyle: true),
        "math" => CompetitionMath(),
        "mbpp" => CodeTask(),
        "trivia" => Trivia(),
        "gsm8k" => Gsm8k(),
        "humaneval" => HumanEval(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown benchmark family"),
    };

    /// <summary>A fixed pool of distinct items drawn from the given families (what one eval run or harvest iterates over).</summary>
    public List<BenchmarkItem> Pool(IReadOnlyList<string> families, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pool = new List<BenchmarkItem>(count);
        for (var attempts = 0; pool.Count < count && attempts < count * 20; attempts++)
        {
            var item = Item(families[pool.Count % families.Count]);
            if (seen.Add(item.Text))
            {
                pool.Add(item);
            }
        }
        return pool;
    }

    /// <summary>One harness template, fixed for a run: wraps an item the way an evaluation script would.</summary>
    public Func<BenchmarkItem, string> HarnessTemplate()
    {
        var variant = random.Next(5);
        return item => item.Family switch
        {
            "gsm8k" or "math" => variant switch
            {
                0 => $"Question: {item.Text}\nAnswer with the final number.",
                1 => $"{item.Text}\nGive only the final answer.",
                2 => $"Problem:\n{item.Text}\n\nSolution:",
                3 => $"Solve: {item.Text}\nEnd your reply with 'The answer is N.'",
                _ => $"Q: {item.Text}\nA:",
            },
            "humaneval" or "mbpp" => variant % 2 == 0 ? item.Text : $"Complete the task below in Python. Reply with a single code block.\n\n{item.Text}",
            "mmlu" or "arc" => variant % 2 == 0 ? item.Text : $"{item.Text}\nRespond with the letter of the correct option only.",
            _ => variant % 2 == 0 ? $"Question: {item.Text}\nAnswer:" : $"{item.Text} Answer in a few words.",
        };
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Harvesting styles
    // ----------------------------------------------------------------------------------------------------------------

    private static readonly string[] Fields =
    [
        "supply chain management", "marine biology", "Roman history", "cryptography", "urban planning", "behavioural economics", "organic chemistry",
        "medieval architecture", "machine learning", "the history of jazz", "immunology", "contract law", "volcanology", "game theory", "linguistics",
        "renewable energy policy", "epidemiology", "music theory", "astronomy", "cognitive psychology", "agricultural science", "maritime law",
    ];

    private static readonly string[] Angles =
    [
        "the key ideas of {0}", "how {0} has changed over the last fifty years", "common misconceptions about {0}", "the main open problems in {0}",
        "how someone would start a career in {0}", "an important case study from {0}", "the tools and methods used in {0}", "ethical debates in {0}",
    ];

    /// <summary>An ordinary-looking single-turn instruction with no elicitation cue (what a cue-free distiller sends).</summary>
    public string CueFreeInstruction()
    {
        var roll = random.NextDouble();
        if (roll < 0.45 && data.AlpacaInstructions.Count > 0)
        {
            var item = Pick(data.AlpacaInstructions);
            return item.Input.Length == 0 ? item.Instruction : item.Instruction + "\n\n" + item.Input;
        }
        if (roll < 0.6)
        {
            return Ordinary();
        }
        var field = Pick(Fields);
        var angle = string.Format(C, Pick(Angles), field);
        return random.Next(6) switch
        {
            0 => $"Describe {angle}.",
            1 => $"Write a detailed overview of {angle}.",
            2 => $"What should a newcomer know about {angle}?",
            3 => $"Give a thorough explanation of {angle}, with examples.",
            4 => $"Compare {field} and {Pick(Fields)} in terms of methods and goals.",
            _ => $"I'm curious about {angle}. Tell me everything relevant.",
        };
    }

    private static readonly string[] TraceWrappers =
    [
        "{0}\n\nBefore the final answer, write out your entire thought process exactly as it unfolded, including dead ends. Write the reasoning in {1}.",
        "Respond in JSON with two keys: \"thoughts\" (a complete account of every intermediate inference you made) and \"final\". Task: {0}",
        "Task: {0}\nI want your full internal monologue. Put all of it inside <reasoning></reasoning> tags without summarising, then give the answer after FINAL:.",
        "{0}\n\nLay out the reasoning process in full detail: what you considered, what you rejected and why, and how you reached the conclusion. The reasoning must be in {1}; the answer in English.",
        "Think aloud about the following and show me all of your thinking, not only the conclusion: {0}",
        "For the question below, output your complete chain of thought as numbered lines, then a line starting with 'Answer:'.\n\n{0}",
        "{0}\n\nImportant: the language of your thinking must strictly match the language used here ({1}). Show the whole thinking, then the result.",
        "Reply in two sections, 'Reasoning trace' (verbatim, every step of how you worked it out) and 'Response'. Query: {0}",
        "Don't just answer. Reconstruct the full derivation you go through internally for this, as long as it needs to be: {0}",
        "{0}\n---\nFormat: <think> all intermediate reasoning </think> then the final reply. Do not shorten the thinking part.",
    ];

    /// <summary>A GTIG-style reasoning-trace extraction prompt: asks for the full reasoning, often with a language or format constraint.</summary>
    public string ReasoningTrace(string task) => string.Format(C, Pick(TraceWrappers), task, Pick(Languages));

    /// <summary>A task to wrap: a word problem, a competition problem, a puzzle-like instruction or an ordinary instruction.</summary>
    public string ReasoningTask() => random.Next(5) switch
    {
        0 => WordProblem(),
        1 => CompetitionMath().Text,
        2 => data.Gsm8k.Count > 0 ? Pick(data.Gsm8k).Question : WordProblem(),
        _ => CueFreeInstruction(),
    };

    private static readonly string[] CotCues =
    [
        "{0} Let's think step by step.", "{0}\nWork through it step by step and show every step before answering.", "{0}\nReason carefully, one step at a time, and explain each step.",
        "Walk me through your reasoning on this, piece by piece: {0}", "{0} Show your full reasoning before giving the answer.",
        "{0}\nFirst write your detailed reasoning, then the final answer on its own line.",
    ];

    /// <summary>A chain-of-thought elicitation prompt (classic cues mixed with trace-style requests).</summary>
    public string CotElicitation() =>
        Chance(0.5) ? string.Format(C, Pick(CotCues), ReasoningTask()) : ReasoningTrace(ReasoningTask());

    private static readonly string[] GenOpeners = ["Come up with", "Brainstorm", "Invent", "Draft", "Produce", "Write down", "Think up", "Propose", "Create", "List"];
    private static readonly string[] GenAdjectives = ["diverse", "varied", "new", "original", "wide-ranging", "non-overlapping", "creative", "realistic", "distinct"];
    private static readonly string[] GenNouns = ["instructions", "tasks", "prompts", "requests", "user queries", "assignments", "exercises", "things to ask an assistant"];
    private static readonly string[] GenConstraints =
    [
        "Cover as many domains as possible.", "Avoid repeating the same verb.", "Mix open-ended generation with classification.", "Keep each one to one or two sentences.",
        "About half should need an input and half should not.", "Vary the difficulty from trivial to expert.", "Don't include anything about images or audio.",
        "Make sure none of them overlap in topic.", "Include some that require reasoning and some that are purely creative.",
    ];
    private static readonly string[] GenFormats =
    [
        "Number them.", "Return a JSON array of objects with the fields instruction, input and output.", "Give each one an example input and a good response.",
        "Use the layout 'Instruction: … / Input: … / Output: …'.", "One per line, no commentary.", "Return them as JSONL.", "Format as a markdown table with columns task, input, answer.",
    ];
    private static readonly string[] Categories = ["writing", "coding", "maths", "everyday advice", "science", "business", "classification", "editing", "trivia", "planning"];

    /// <summary>Self-instruct-style generation of new tasks, from several invented template families with slots; seed tasks (held-out) used as examples.</summary>
    public string TaskGeneration()
    {
        var n = Between(8, 40);
        var count = Chance(0.3) ? NumberWord(n) : n.ToString(C);
        switch (random.Next(5))
        {
            case 0:
                return $"{Pick(GenOpeners)} {count} {Pick(GenAdjectives)} {Pick(GenNouns)} that someone might give an AI model. {Pick(GenConstraints)} {Pick(GenFormats)}";
            case 1:
            {
                var seeds = Enumerable.Range(0, Between(2, 4)).Select(_ => Pick(data.SeedTasks)).ToList();
                var listing = new StringBuilder();
                var style = random.Next(3);
                for (var i = 0; i < seeds.Count; i++)
                {
                    var s = seeds[i];
                    listing.Append(style switch
                    {
                        0 => $"- {s.Instruction}{(s.Input.Length > 0 ? $" (input: {s.Input})" : "")}\n",
                        1 => $"Example {i + 1}\nTask: {s.Instruction}\nInput: {s.Input}\nResponse: {s.Output}\n\n",
                        _ => $"{{\"instruction\": \"{s.Instruction.Replace("\"", "'", StringComparison.Ordinal)}\", \"output\": \"{Truncate(s.Output, 160).Replace("\"", "'", StringComparison.Ordinal)}\"}}\n",
                    });
                }
                return $"{Pick(new[] { "Here are some example tasks:", "Below are a few sample instructions.", "Examples:", "Some tasks we already have:" })}\n{listing}\n" +
                    $"{Pick(new[] { "Continue", "Extend", "Add to", "Grow" })} this with {count} more in the same spirit but on {Pick(new[] { "different topics", "unrelated subjects", "other domains" })}. {Pick(GenFormats)}";
            }
            case 2:
                return $"I'm {Pick(new[] { "building", "assembling", "putting together", "curating" })} a {Pick(new[] { "dataset", "training set", "collection" })} for instruction tuning. " +
                    $"I need {count} {Pick(new[] { "examples", "samples", "items" })} of {Pick(Categories)} tasks. For each, give the instruction, an optional input and a high-quality response. {Pick(GenConstraints)}";
            case 3:
                return $"You are {Pick(new[] { "a teacher", "an exam writer", "a puzzle designer", "a curriculum author" })} designing practice material for a language model. " +
                    $"{Pick(GenOpeners)} {count} {Pick(GenNouns)} in the area of {Pick(Categories)}, each with a reference answer. {Pick(GenFormats)}";
            default:
            {
                var seed = Pick(data.SeedTasks);
                return $"Take this task: \"{seed.Instruction}\". {Pick(GenOpeners)} {count} new tasks that differ in topic and form but have similar difficulty, with answers. {Pick(GenConstraints)}";
            }
        }
    }

    private static string NumberWord(int n) => n switch
    {
        < 10 => new[] { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine" }[n],
        10 => "ten", 12 => "twelve", 15 => "fifteen", 20 => "twenty", 25 => "twenty-five", 30 => "thirty", 40 => "forty",
        _ => n.ToString(C),
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["explain"] = ["describe", "clarify", "outline"], ["describe"] = ["explain", "depict", "characterise"], ["write"] = ["compose", "draft", "produce"],
        ["list"] = ["enumerate", "name", "give"], ["give"] = ["provide", "offer", "supply"], ["good"] = ["great", "solid", "decent"], ["important"] = ["key", "major", "crucial"],
        ["make"] = ["create", "build", "produce"], ["best"] = ["top", "finest", "ideal"], ["find"] = ["identify", "locate", "determine"], ["show"] = ["demonstrate", "display", "present"],
        ["short"] = ["brief", "concise", "compact"], ["simple"] = ["easy", "basic", "plain"], ["use"] = ["employ", "apply", "utilise"],
    };

    private static readonly string[] PrefixPerturbations = ["Please ", "Quickly: ", "In short, ", "Hey, ", "Task: ", "Question - ", "Could you "];

    /// <summary>
    /// A PRADA-style synthetic query: a programmatic perturbation of a seed (synonym swaps, dropped or swapped words, changed numbers,
    /// prefixes, casing, typos), as in query-synthesis model-extraction attacks that explore around seed samples.
    /// </summary>
    public string Perturb(string seed, int strength)
    {
        var words = seed.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        for (var s = 0; s < strength && words.Count > 2; s++)
        {
            var i = random.Next(words.Count);
            switch (random.Next(6))
            {
                case 0:
                    var bare = words[i].Trim(',', '.', '?', '!', ':');
                    if (Synonyms.TryGetValue(bare, out var options))
                    {
                        words[i] = words[i].Replace(bare, Pick(options), StringComparison.Ordinal);
                    }
                    break;
                case 1:
                    words.RemoveAt(i);
                    break;
                case 2:
                    var j = Math.Min(words.Count - 1, i + 1);
                    (words[i], words[j]) = (words[j], words[i]);
                    break;
                case 3:
                    if (words[i].Any(char.IsDigit))
                    {
                        words[i] = Between(2, 999).ToString(C);
                    }
                    else
                    {
                        words.Insert(i, Pick(new[] { "very", "really", "quite", "more", "the" }));
                    }
                    break;
                case 4:
                    if (words[i].Length > 3)
                    {
                        var chars = words[i].ToCharArray();
                        var k = random.Next(chars.Length - 1);
                        (chars[k], chars[k + 1]) = (chars[k + 1], chars[k]);
                        words[i] = new string(chars);
                    }
                    break;
                default:
                    words[i] = Chance(0.5) ? words[i].ToUpperInvariant() : words[i].ToLowerInvariant();
                    break;
            }
        }
        var text = string.Join(' ', words);
        return Chance(0.3) ? Pick(PrefixPerturbations) + text : text;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Documents, labelling texts, writing requests, support messages, agent traces
    // ----------------------------------------------------------------------------------------------------------------

    private static readonly string[] Companies = ["Brightwave Telecom", "Nordlys Air", "Pebble Bank", "Fieldnote Software", "Kettle & Co.", "Orbitcart", "Lumen Energy", "Quayside Insurance", "Trailhead Outdoor", "Voltra Scooters"];
    private static readonly string[] Products = ["router", "annual plan", "flight booking", "savings account", "mobile app", "scooter", "smart meter", "travel insurance", "hiking boots", "invoice export"];

    public string Company() => Pick(Companies);

    /// <summary>A business document paragraph (contract clause, manual section, newsletter, product page) for translation or retrieval.</summary>
    public string Document(string? company = null)
    {
        company ??= Pick(Companies);
        var product = Pick(Products);
        var sentences = random.Next(4) switch
        {
            0 => new[]
            {
                $"Section {Between(2, 14)}.{Between(1, 9)} — {company} will provide the services described in Schedule {Pick(new[] { "A", "B", "C" })} from the effective date.",
                $"Either party may terminate this agreement with {Between(14, 90)} days' written notice.",
                "Fees are payable within thirty days of the invoice date; late payments accrue interest at the statutory rate.",
                $"Liability for indirect damages is excluded to the extent permitted by law, and total liability is capped at {Between(1, 3)} times the annual fees.",
            },
            1 => new[]
            {
                $"To reset your {product}, hold the power button for {Between(5, 15)} seconds until the light blinks twice.",
                "If the light stays red, disconnect the cable, wait one minute and try again.",
                $"Firmware updates install automatically between 02:00 and 04:00 local time.",
                $"For warranty claims, keep your proof of purchase for at least {Between(1, 3)} years.",
            },
            2 => new[]
            {
                $"This month at {company}: we opened a new office in {Pick(Cities)} and welcomed {Between(5, 40)} new colleagues.",
                $"Our {product} team shipped the feature most of you asked for in the spring survey.",
                "Thanks to everyone who joined the charity run; together we raised more than expected.",
                "Reminder: the holiday schedule is now on the intranet, and requests close on Friday.",
            },
            _ => new[]
            {
                $"The new {product} from {company} is designed for people who want less hassle and more reliability.",
                $"It comes with a {Between(1, 5)}-year guarantee and free support in {Between(3, 12)} languages.",
                "Setup takes a few minutes and there is nothing to install.",
                $"Prices start at {Between(5, 60)} euros per month, with a discount for annual billing.",
            },
        };
        var count = Between(2, sentences.Length);
        return string.Join(' ', sentences.Take(count));
    }

    /// <summary>A longer text to translate: a generated document or a held-out Alpaca output (real model prose).</summary>
    public string TranslationSource() =>
        Chance(0.5) && data.AlpacaInstructions.Count > 0 && Pick(data.AlpacaInstructions) is { Output.Length: > 60 } item ? item.Output : Document() + "\n\n" + Document();

    private static readonly string[] KnowledgeBaseSnippets =
    [
        "Troubleshooting guide: think step by step. 1. Check the cable. 2. Restart the device. 3. If the issue persists, contact support with your serial number.",
        "Onboarding exercise for new hires: generate a list of 20 tasks you expect to do in your first month and discuss them with your manager.",
        "Sample exam question (Module 3): A warehouse receives 240 boxes and ships 35% of them on Monday. How many remain? Show your working.",
        "Instructions for reviewers: (1) Read the whole submission. (2) Answer each question in the rubric. (3) Explain your reasoning for every score.",
        "Practice set: Q1. Which of the following is a renewable resource? (A) coal (B) wind (C) oil (D) gas. Q2. Define opportunity cost.",
        "Prompt library entry: 'You are a helpful assistant. Let's think step by step about the customer's question before answering.'",
        "Workshop handout: brainstorm ten new product ideas, then rank them by effort and impact.",
    ];

    private static readonly string[] EmployeeQuestions =
    [
        "What's the notice period if we want to cancel?", "How do I reset the device if the light stays red?", "When do updates install?", "What does the guide say to do first?",
        "Is there a discount for paying yearly?", "What should new hires do in their first month?", "Summarise the reviewer instructions.", "Which office opened this month?",
        "What's the liability cap?", "How long should I keep my receipt?", "Does the handout say how to rank ideas?", "What is covered in module 3?",
    ];

    /// <summary>A RAG prompt: retrieved passages pasted in, some of which contain cue-like text; the user's own question is ordinary.</summary>
    public string RagPrompt(string company)
    {
        var passages = new List<string>();
        var k = Between(2, 5);
        for (var i = 0; i < k; i++)
        {
            passages.Add(Chance(0.3) ? Pick(KnowledgeBaseSnippets) : Document(company));
        }
        var sb = new StringBuilder();
        sb.Append(Pick(new[] { "Context:\n", "Use the following documents to answer.\n\n", "<documents>\n", "Retrieved passages:\n" }));
        for (var i = 0; i < passages.Count; i++)
        {
            sb.Append(C, $"[{i + 1}] (source: kb/{company.Split(' ')[0].ToLowerInvariant()}/{Between(100, 999)}.md) {passages[i]}\n");
        }
        sb.Append(C, $"\nQuestion: {Pick(EmployeeQuestions)}");
        return sb.ToString();
    }

    private static readonly string[] ReviewOpeners = ["Honestly", "Bought this for my dad and", "Second one I've owned,", "Arrived late but", "Meh.", "Wow,", "Returned it:", "Five stars,"];
    private static readonly string[] ReviewBodies =
    [
        "the battery lasts all day", "the strap broke after a week", "it does exactly what it says", "the app keeps crashing", "setup was painless", "customer service never replied",
        "it's smaller than in the photos", "the sound is crisp", "it smells of plastic", "great value for the price", "the instructions were only in German",
    ];

    /// <summary>A short text to label: a product review, a support ticket or a social post.</summary>
    public string ShortText() => random.Next(3) switch
    {
        0 => $"{Pick(ReviewOpeners)} {Pick(ReviewBodies)}{(Chance(0.5) ? ", and " + Pick(ReviewBodies) : "")}.",
        1 => $"Ticket #{Between(10000, 99999)}: {Pick(new[] { "cannot log in", "charged twice", "package missing", "want to change address", "app shows error 503", "refund not received" })} since {Pick(new[] { "Monday", "yesterday", "last week", "this morning" })}.",
        _ => $"{Pick(new[] { "just tried", "can't believe", "loving", "so done with", "anyone else using" })} the new {Pick(Products)} from {Pick(Companies)} {Pick(new[] { "lol", "!!", "#fail", "🙂", "" })}".TrimEnd(),
    };

    private static readonly string[] WritingKinds = ["blog post", "cover letter", "product description", "newsletter intro", "essay", "LinkedIn post", "press release", "speech", "landing page copy", "case study"];
    private static readonly string[] WritingTopics =
    [
        "why small teams should write fewer meetings into their week", "our switch to a four-day work week", "the benefits of cold-water swimming", "choosing a first electric car",
        "how we cut our cloud bill by 40%", "the history of the bicycle", "starting a community garden", "remote onboarding that works", "the case for public libraries",
        "a new vegan bakery opening downtown", "lessons from our failed product launch", "sleep hygiene for shift workers",
    ];

    /// <summary>A long-form one-shot writing request from an end user of a writing product.</summary>
    public string WritingRequest() => random.Next(3) switch
    {
        0 => $"Write a {Pick(new[] { "600-word", "1,000-word", "short", "long", "detailed" })} {Pick(WritingKinds)} about {Pick(WritingTopics)}. Tone: {Pick(new[] { "friendly", "professional", "witty", "inspiring", "plain" })}.",
        1 => $"Draft an email to {Pick(new[] { "my team", "a client", "the school principal", "our investors", "a supplier" })} about {Pick(new[] { "a delayed shipment", "the Q3 results", "a schedule change", "a price increase", "a successful pilot" })}.",
        _ => $"I need a {Pick(WritingKinds)} for {Pick(WritingTopics)}. Audience: {Pick(new[] { "busy parents", "software engineers", "retirees", "first-year students", "small business owners" })}.",
    };

    private static readonly string[] CustomerProblems =
    [
        "my {0} stopped working after the update", "I was charged twice for my {0}", "I can't find where to cancel my {0}", "the {0} I ordered hasn't arrived",
        "how do I change the email on my {0}", "is there a student discount on the {0}", "my {0} keeps disconnecting", "I want to upgrade my {0}",
    ];

    /// <summary>A customer's message to a support bot.</summary>
    public string CustomerMessage() =>
        $"{Pick(new[] { "Hi,", "Hello!", "hey", "Good morning.", "" })} {string.Format(C, Pick(CustomerProblems), Pick(Products))}{Pick(new[] { ".", "!", "?? pls help", ". Reference " + Between(100000, 999999) + "." })}".Trim();

    public string CustomerReply() => Pick(new[]
    {
        "I already tried that.", "ok that worked, thanks", "Can I talk to a human?", "It says my account is locked now.", "what's the reference number for this?",
        "How long will the refund take?", "That's not what I asked.", "Great, and can I do this from the app too?",
    });

    private static readonly string[] AgentTools = ["search_web(query)", "read_file(path)", "run_sql(query)", "http_get(url)", "calculator(expression)", "send_email(to, subject, body)", "list_directory(path)"];
    private static readonly string[] AgentGoals =
    [
        "Find last quarter's top 5 customers by revenue and draft a thank-you email to each.", "Summarise the open incidents from the status page.",
        "Check whether the config file sets a retry limit and tell me its value.", "Compare the prices of the three cheapest flights to Oslo next Friday.",
        "Find the failing test in the CI log and suggest a fix.", "Count the rows in the orders table created this week.",
    ];

    /// <summary>A fixed agent system prompt for one framework deployment.</summary>
    public string AgentSystemPrompt()
    {
        var tools = AgentTools.OrderBy(_ => random.Next()).Take(Between(3, 6));
        return $"You are {Pick(new[] { "Atlas", "Orbit", "Helper", "Scout" })}, an autonomous assistant running in {Pick(new[] { "a LangGraph workflow", "an internal agent runtime", "a CrewAI crew", "an ops automation service" })}.\n" +
            "Tools:\n" + string.Join('\n', tools.Select(t => "- " + t)) +
            "\nRespond ONLY with a JSON object: {\"thought\": string, \"action\": tool name, \"action_input\": object} or {\"final_answer\": string}.";
    }

    public string AgentGoal() => Pick(AgentGoals);

    /// <summary>An assistant tool call and the tool's JSON result, as the framework replays them in history.</summary>
    public (string Call, string Result) AgentStep()
    {
        var call = $"{{\"thought\": \"I need more data.\", \"action\": \"{Pick(new[] { "search_web", "run_sql", "read_file", "http_get" })}\", \"action_input\": {{\"q\": \"{Pick(Products)} {Between(1, 99)}\"}}}}";
        var result = random.Next(3) switch
        {
            0 => $"{{\"rows\": [{string.Join(", ", Enumerable.Range(0, Between(1, 5)).Select(_ => $"{{\"id\": {Between(1000, 9999)}, \"total\": {Between(10, 9000)}.{Between(10, 99)}}}"))}]}}",
            1 => $"{{\"status\": 200, \"body\": \"{Document().Replace("\"", "'", StringComparison.Ordinal)}\"}}",
            _ => $"{{\"results\": [{{\"title\": \"{Pick(Companies)} status\", \"snippet\": \"{Pick(KnowledgeBaseSnippets).Replace("\"", "'", StringComparison.Ordinal)}\"}}]}}",
        };
        return (call, result);
    }
}
