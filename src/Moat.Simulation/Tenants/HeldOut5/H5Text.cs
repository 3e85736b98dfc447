namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>Word banks and small text generators written for the fifth held-out population.</summary>
internal static class H5Text
{
    public static T Of<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    public static readonly string[] Topics =
    [
        "sourdough starters", "index funds", "bird migration", "heat pumps", "the French Revolution", "sleep hygiene", "volcanic islands",
        "container gardening", "the immune system", "electric car batteries", "jazz improvisation", "medieval castles", "coral reefs",
        "remote team management", "credit scores", "marathon training", "the printing press", "black holes", "composting", "tea ceremonies",
        "urban beekeeping", "the Silk Road", "solar panels", "learning a second language", "photosynthesis", "minimalist living",
        "the stock market crash of 1929", "vaccines", "chess openings", "plate tectonics", "home insulation", "the Roman aqueducts",
        "public speaking", "fermented foods", "antibiotic resistance", "tide pools", "watercolor painting", "game theory",
        "the history of coffee", "knee injuries in runners", "wildfire prevention", "the Byzantine Empire", "freelance taxes",
        "noise-cancelling headphones", "the water cycle", "dog training", "inflation", "glaciers", "Japanese woodworking joints",
        "supply chains", "the Apollo program", "rent versus buy decisions", "microplastics", "bonsai", "desert ecosystems",
    ];

    public static readonly string[] Cities =
    [
        "Lisbon", "Kyoto", "Mexico City", "Edinburgh", "Cape Town", "Hanoi", "Vancouver", "Marrakech", "Reykjavik", "Buenos Aires", "Tallinn",
        "Seoul", "Porto", "Istanbul", "Melbourne", "Oaxaca", "Prague", "Bergen", "Cusco", "Tbilisi",
    ];

    public static readonly string[] FirstNames =
    [
        "Maya", "Tobias", "Priya", "Kwame", "Lucia", "Jonas", "Aiko", "Omar", "Freya", "Mateo", "Ines", "Dmitri", "Zara", "Felix", "Nadia",
        "Hugo", "Leila", "Sven", "Amara", "Ravi", "Chloe", "Tariq", "Elena", "Bruno",
    ];

    public static readonly string[] Subjects =
    [
        "fractions", "the water cycle", "World War I", "photosynthesis", "the solar system", "Shakespeare's Macbeth", "the human heart",
        "ancient Egypt", "volcanoes", "the American Civil War", "chemical bonding", "Newton's laws", "the French Revolution",
        "cell division", "persuasive writing", "the Renaissance", "ecosystems and food webs", "the periodic table", "plate tectonics",
        "percentages", "the causes of the Great Depression", "poetry terms", "Spanish past tense verbs", "probability", "climate zones",
    ];

    public static readonly string[] Grades = ["3rd grade", "5th grade", "7th grade", "8th grade", "9th grade", "high school", "AP", "year 6", "year 10"];

    /// <summary>A grade-school word problem with fresh numbers.</summary>
    public static string WordProblem(Random r)
    {
        var name = Of(r, FirstNames);
        var other = Of(r, FirstNames);
        int a = r.Next(3, 40), b = r.Next(2, 12), c = r.Next(2, 9);
        return r.Next(8) switch
        {
            0 => $"{name} has {a} stickers. She gives {b} to {other} and then buys {c} packs with {b} stickers in each. How many stickers does she have now?",
            1 => $"A bakery makes {a * 4} muffins. They sell {b} boxes of {c} muffins in the morning and half of what is left in the afternoon. How many muffins are left?",
            2 => $"{name} reads {b} pages every weekday and {b * 2} pages on Saturday and Sunday. How many pages does {name} read in {c} weeks?",
            3 => $"A train leaves at {r.Next(6, 11)}:{r.Next(0, 6)}0 and travels {a * 5} km at {r.Next(4, 12) * 10} km per hour. What time does it arrive?",
            4 => $"{name} and {other} share {a * 6} marbles in the ratio {b}:{c}. How many marbles does {other} get?",
            5 => $"A rectangle garden is {a} m long and {b + 3} m wide. Fencing costs ${c} per metre. How much does it cost to fence the garden?",
            6 => $"{name} saves ${b} a week. A bike costs ${a * 10}. She already has ${a}. How many weeks until she can buy the bike?",
            _ => $"There are {a} students in a class. {b} of them walk to school, {c} ride bikes and the rest take the bus. What fraction take the bus?",
        };
    }

    /// <summary>A competition-style maths problem with fresh parameters (not from any benchmark file).</summary>
    public static string MathProblem(Random r)
    {
        int a = r.Next(2, 30), b = r.Next(2, 20), n = r.Next(50, 2000), p = Of(r, new[] { 7, 11, 13, 17, 19, 23 });
        return r.Next(12) switch
        {
            0 => $"How many positive integers n ≤ {n} satisfy that n² + {a} is divisible by {p}?",
            1 => $"Find all real x such that √(x + {a}) + √(x − {b}) = {a + b}.",
            2 => $"A bag holds {a} red and {b} blue balls. Three are drawn without replacement. What is the probability that exactly two are red?",
            3 => $"Let f(x) = x³ − {a}x + {b}. Find the number of real roots of f(f(x)) = 0.",
            4 => $"In triangle ABC, AB = {a + 5}, AC = {b + 7} and angle A = 60°. Find BC and the radius of the circumscribed circle.",
            5 => $"Find the remainder when {a}^{n} is divided by {p * 10 + 3}.",
            6 => $"How many ways can {b % 6 + 5} distinct books be placed on {a % 4 + 2} shelves if each shelf must hold at least one book and order on a shelf matters?",
            7 => $"The sequence a₁ = {a}, aₙ₊₁ = aₙ² − {b}aₙ + {b} mod {p}. Find a₁₀₀.",
            8 => $"Find the minimum of x² + y² subject to {a}x + {b}y = {n}.",
            9 => $"A circle of radius {a} is inscribed in a right triangle with one leg {2 * a + b}. Find the hypotenuse.",
            10 => $"Show that for every integer n ≥ 1, {a * a - 1} divides {a}^(2n) − 1, and find the smallest n for which {p} also divides it.",
            _ => $"Evaluate the sum of k·C({b + 5}, k) for k = 0 to {b + 5}, and generalise to C(n, k).",
        };
    }

    private static readonly (string Input, string Goal)[] CodeSpecs =
    [
        ("a list of meeting intervals", "the minimum number of rooms needed"),
        ("a string of brackets", "the length of the longest balanced substring"),
        ("an n×m grid of 0s and 1s", "the number of islands connected in 8 directions"),
        ("a list of stock prices", "the best profit with at most k transactions and a cooldown day"),
        ("a weighted directed graph", "the shortest path that uses at most k edges"),
        ("a list of words", "all groups of anagrams sorted by group size"),
        ("a binary tree", "the maximum sum of any path between two leaves"),
        ("a stream of integers", "the running median after each insertion"),
        ("a log file of user sessions", "the peak number of concurrent sessions per day"),
        ("two strings", "the minimum number of insertions to make them equal ignoring case"),
        ("a list of tasks with dependencies", "an order that respects them or a reported cycle"),
        ("an array of integers and a target", "the number of subarrays whose XOR equals the target"),
        ("a directory tree given as paths", "the total size of every folder"),
        ("a sorted rotated array", "the index of a target in O(log n)"),
        ("a list of points on a plane", "the largest number of points on one line"),
        ("an expression string with + - * / and parentheses", "its integer value"),
    ];

    /// <summary>A fresh programming problem with constraints.</summary>
    public static string CodeProblem(Random r, string language)
    {
        var (input, goal) = Of(r, CodeSpecs);
        var limit = Of(r, new[] { "10^5", "2·10^5", "10^6", "5000", "10^9" });
        return r.Next(3) switch
        {
            0 => $"Write a {language} function that takes {input} and returns {goal}. Constraints: n ≤ {limit}. Include edge cases.",
            1 => $"Given {input}, compute {goal}. Implement it in {language} within the constraint n ≤ {limit} and state the complexity.",
            _ => $"Implement in {language}: input is {input}; output is {goal}. The input size can reach {limit}.",
        };
    }

    public static readonly string[] CodeLanguages = ["Python", "Java", "C++", "JavaScript", "Go", "Rust", "TypeScript", "Kotlin"];

    /// <summary>A multiple-choice question in the style of a school-and-college knowledge test (invented items).</summary>
    public static (string Stem, string[] Options) MultipleChoice(Random r)
    {
        int a = r.Next(12, 90), b = r.Next(2, 9);
        return r.Next(14) switch
        {
            0 => ("Which organelle is the main site of ATP synthesis in eukaryotic cells?", ["Ribosome", "Mitochondrion", "Golgi apparatus", "Lysosome"]),
            1 => ($"A car accelerates uniformly from rest to {a} m/s in {b} s. What is its acceleration?", [$"{a * b} m/s²", $"{Math.Round((double)a / b, 2)} m/s²", $"{a + b} m/s²", $"{Math.Round((double)b / a, 3)} m/s²"]),
            2 => ("Which of the following best describes the principle of comparative advantage?", ["Producing everything domestically", "Specialising in goods with the lowest opportunity cost", "Maximising exports only", "Fixing exchange rates"]),
            3 => ("In contract law, which element is NOT required to form a valid contract?", ["Offer", "Acceptance", "Consideration", "Notarisation"]),
            4 => ($"What is the derivative of x^{b} · ln x?", [$"{b}x^{b - 1} ln x + x^{b - 1}", $"x^{b - 1}", $"{b}x^{b - 1}", $"ln x + {b}"]),
            5 => ("Which philosopher wrote the 'Critique of Pure Reason'?", ["Hume", "Kant", "Hegel", "Locke"]),
            6 => ("Which neurotransmitter is most closely associated with the reward pathway?", ["Dopamine", "GABA", "Acetylcholine", "Glycine"]),
            7 => ($"A sample has mean {a} and standard deviation {b}. What is the z-score of {a + 2 * b}?", ["1", "2", "0.5", $"{b + 2}"]),
            8 => ("Which data structure gives O(1) average-time lookup by key?", ["Linked list", "Binary heap", "Hash table", "Sorted array"]),
            9 => ("The Treaty of Westphalia (1648) is most associated with which concept?", ["Collective security", "State sovereignty", "Free trade", "Decolonisation"]),
            10 => ($"How many moles of O₂ are needed to burn {b} moles of CH₄ completely?", [$"{b}", $"{2 * b}", $"{3 * b}", $"{b / 2.0}"]),
            11 => ("Which type of rock forms from cooled magma?", ["Sedimentary", "Metamorphic", "Igneous", "Evaporite"]),
            12 => ("Under GAAP, depreciation of a fixed asset is recorded as what?", ["A liability", "An expense", "Revenue", "Equity"]),
            _ => ($"What is {a} in base {b}?", [Convert(a, b), Convert(a + 1, b), Convert(a - 1, b), a.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
        };
    }

    private static string Convert(int value, int radix)
    {
        var digits = new Stack<char>();
        do
        {
            digits.Push((char)('0' + value % radix));
            value /= radix;
        }
        while (value > 0);
        return new string([.. digits]);
    }

    /// <summary>A short clinical visit transcript with invented details.</summary>
    public static string Transcript(Random r)
    {
        var patient = Of(r, FirstNames);
        var complaint = Of(r, new[] { "a cough for two weeks", "lower back pain after lifting boxes", "headaches most mornings", "a rash on both forearms", "trouble sleeping", "knee pain when climbing stairs", "heartburn after meals", "feeling dizzy when standing up" });
        var med = Of(r, new[] { "ibuprofen", "lisinopril 10 mg", "metformin 500 mg", "sertraline 50 mg", "no regular medication", "atorvastatin 20 mg", "a salbutamol inhaler" });
        var lines = new List<string>
        {
            $"Dr: Good morning {patient}, what brings you in today?",
            $"Pt: I've had {complaint}. It's been getting a bit worse.",
            "Dr: Any fever, weight loss, or anything that makes it better or worse?",
            $"Pt: {Of(r, new[] { "No fever. Resting helps a little.", "Maybe a low fever last week. Nothing really helps.", "No. It's worse in the evening.", "Not that I noticed, it's worse after work." })}",
            $"Dr: Are you taking anything at the moment?",
            $"Pt: {med}.",
            $"Dr: OK. Blood pressure today is {r.Next(108, 152)} over {r.Next(66, 96)}, pulse {r.Next(58, 98)}, temperature {36 + r.Next(2, 14) / 10.0:0.0}.",
        };
        for (var i = r.Next(2, 7); i > 0; i--)
        {
            lines.Add(Of(r, new[]
            {
                "Pt: Should I be worried about it?", "Dr: I'd like to examine you, can you lie back for me?", "Pt: My mother had something similar.",
                "Dr: I'm going to order some blood work and we'll review in two weeks.", "Pt: Can I keep going to the gym?",
                "Dr: Let's try a short course and see how you respond.", "Pt: I also wanted to ask about my flu shot.",
                "Dr: Any allergies to medication?", "Pt: Penicillin gives me hives.", "Dr: I'll refer you for physiotherapy.",
            }));
        }
        lines.Add("Dr: Any other questions? ... Great, the nurse will book you in.");
        return string.Join("\n", lines);
    }

    /// <summary>An invented paper excerpt; many mention instruction generation or step-by-step prompting as their subject.</summary>
    public static string PaperExcerpt(Random r)
    {
        var field = Of(r, new[] { "clinical NLP", "code generation", "mathematical reasoning", "low-resource translation", "robot planning", "education technology", "legal text analysis" });
        var method = Of(r, new[]
        {
            "We prompt the model to reason step by step before answering and compare it with direct answering.",
            "To build the training set we generate a list of instructions from 175 seed tasks and filter near duplicates with ROUGE-L.",
            "Annotators were asked to explain step by step how they reached each label.",
            "We distil a 7B student from a larger teacher using 50k synthetic instruction–response pairs.",
            "Participants were shown a worked example and asked to think step by step about the next problem.",
            "We evaluate on held-out benchmark splits and report pass@1 at temperature 0.",
        });
        var n = r.Next(120, 4000);
        return $"""
            Title: {Of(r, new[] { "Towards", "Revisiting", "On the Limits of", "Scaling", "Evaluating" })} {Of(r, new[] { "Synthetic Supervision", "Chain-of-Thought Prompting", "Instruction Tuning", "Retrieval Augmentation", "Curriculum Design" })} for {field}

            Abstract. We study {field} with {n} examples collected over {r.Next(2, 18)} months. {method} Our results show a {r.Next(2, 19)}.{r.Next(0, 9)} point improvement over strong baselines, with gains concentrated in harder cases.

            1 Introduction. Prior work in {field} has relied on manual annotation, which is costly. {method} We ask whether this transfers across domains and how sensitive it is to prompt wording.

            3 Method. Our pipeline has three stages: (1) data collection, (2) {Of(r, new[] { "prompted generation", "human verification", "automatic filtering" })}, and (3) fine-tuning with a learning rate of {Of(r, new[] { "2e-5", "1e-4", "5e-6" })} for {r.Next(1, 6)} epochs. Table 2 lists the hyperparameters.

            5 Limitations. The study covers English only, and the evaluation set is small ({r.Next(80, 600)} items). Results may not hold for {Of(r, new[] { "other languages", "larger models", "real deployments", "younger learners" })}.
            """;
    }

    /// <summary>A customer message in one of several languages, about a delivery, account or product problem.</summary>
    public static (string Language, string Text) SupportMessage(Random r)
    {
        var order = r.Next(100000, 999999);
        return r.Next(14) switch
        {
            0 => ("French", $"Bonjour, ma commande n°{order} n'est toujours pas arrivée. Pouvez-vous me dire où elle se trouve ?"),
            1 => ("French", "Je n'arrive pas à me connecter à mon compte depuis la mise à jour, que dois-je faire ?"),
            2 => ("German", $"Hallo, ich habe die Bestellung {order} doppelt bezahlt. Bitte erstatten Sie mir den Betrag zurück."),
            3 => ("German", "Wie kann ich mein Abo kündigen? Ich finde die Option in der App nicht."),
            4 => ("Spanish", $"Hola, el producto del pedido {order} llegó dañado. ¿Me pueden enviar uno nuevo?"),
            5 => ("Spanish", "¿Cuánto tarda el envío a Canarias? Necesito el regalo antes del viernes."),
            6 => ("Portuguese", $"Olá, ainda não recebi o reembolso do pedido {order}. Já se passaram duas semanas."),
            7 => ("Italian", "Buongiorno, vorrei cambiare l'indirizzo di consegna del mio ordine. È ancora possibile?"),
            8 => ("Dutch", $"Hoi, mijn pakket {order} is als bezorgd gemarkeerd maar ik heb niets ontvangen."),
            9 => ("Polish", "Dzień dobry, jak mogę zmienić metodę płatności na moim koncie?"),
            10 => ("English", $"Hi, order {order} shows delivered but it isn't here. Can you check with the courier?"),
            11 => ("English", "How do I reset my password? The reset email never arrives."),
            12 => ("Japanese", $"注文番号{order}の配送状況を教えてください。まだ届いていません。"),
            _ => ("English", "Can I return an item I bought on sale? It doesn't fit."),
        };
    }

    public static readonly string[] Entities =
    [
        "customer", "invoice", "shipping address", "bank transaction", "patient appointment", "product SKU", "user profile", "flight booking",
        "IoT sensor reading", "insurance claim", "employee record", "support ticket", "payment card (test numbers only)", "hotel reservation",
    ];

    public static readonly string[] CellKinds = ["review", "company", "address", "title", "feedback", "product"];

    /// <summary>The content of one spreadsheet cell of a given column kind.</summary>
    public static string Cell(Random r, string kind) => kind switch
    {
        "review" => $"{Of(r, new[] { "Arrived quickly,", "Terrible packaging,", "Works as described,", "Stopped working after a week,", "Good value,", "Not what the photos showed," })} {Of(r, new[] { "would buy again.", "very disappointed.", "the battery could be better.", "customer service was helpful.", "a bit noisy.", "five stars." })}",
        "company" => $"{Of(r, new[] { "Acme", "Northwind", "Bluefin", "Harbor", "Quanta", "Redwood", "Tessel", "Vantage" })} {Of(r, new[] { "Logistics Ltd", "Holdings Inc.", "GmbH", "Partners LLP", "Foods S.A.", "Analytics", "Dental Group" })}, {Of(r, Cities)}",
        "address" => $"{r.Next(1, 400)} {Of(r, new[] { "Oak", "Mill", "Station", "Church", "Harbour", "Elm" })} {Of(r, new[] { "St", "Road", "Ave", "Lane" })}, {Of(r, Cities)} {r.Next(1000, 99999)}",
        "title" => Of(r, new[] { "Sr. Software Eng II", "VP Sales EMEA", "Head of People Ops", "acct mgr", "Marketing Coordinator (contract)", "CFO", "Data Scientist - NLP", "Ops Lead, Warehouse 3" }),
        "feedback" => Of(r, new[] { "The onboarding was confusing", "love the new dashboard!!", "pricing page doesnt load on mobile", "please add dark mode", "export to csv is broken since tuesday", "support took 3 days to reply" }),
        _ => $"{Of(r, new[] { "Stainless", "Bamboo", "Wireless", "Organic", "Foldable", "Insulated" })} {Of(r, new[] { "water bottle 750ml", "cutting board", "earbuds", "cotton tee", "camping chair", "lunch box" })} - {Of(r, new[] { "black", "natural", "sage", "navy", "M", "XL" })}",
    };
}
