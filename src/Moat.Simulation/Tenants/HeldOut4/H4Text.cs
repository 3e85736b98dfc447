namespace Moat.Simulation.Tenants.HeldOut4;

/// <summary>Text generators of the fourth held-out population: the content its tenants' products put into prompts.</summary>
internal static class H4Text
{
    private static readonly string[] Kids = ["Maya", "Leo", "Amir", "Sofia", "Jun", "Priya", "Tomás", "Ella", "Kofi", "Hannah", "Ravi", "Lucy", "Mateo", "Zara"];

    private static T P<T>(Random r, params T[] items) => items[r.Next(items.Length)];

    /// <summary>A textbook-style word problem with fresh names and numbers.</summary>
    public static string WordProblem(Random r)
    {
        var n = P(r, Kids);
        var a = r.Next(3, 25);
        var b = r.Next(2, 15);
        var c = r.Next(2, 12);
        return r.Next(10) switch
        {
            0 => $"{n} buys {a} packs of stickers with {b} stickers in each pack. {n} gives {c} stickers to each of 3 friends. How many stickers are left?",
            1 => $"A train travels {a * 10} km in {b % 4 + 2} hours. At the same speed, how far will it travel in {c} hours?",
            2 => $"{n} saves ${a} every week for {b} weeks and then spends ${c * 7} on a new bike helmet. How much money does {n} have left?",
            3 => $"A rectangle has a perimeter of {2 * (a + b)} cm and a length of {a} cm. What is its width and what is its area?",
            4 => $"There are {a + 20} students in a class. {P(r, 25, 40, 50, 60, 75)}% of them walk to school. How many students do not walk to school?",
            5 => $"{n} reads {a} pages on Monday and twice as many on Tuesday. The book has {a * 3 + 50 + b} pages. How many pages are left to read?",
            6 => $"A recipe uses 3/4 cup of sugar to make 12 cookies. How much sugar is needed to make {12 * (c % 4 + 2)} cookies?",
            7 => $"A shop sells pencils at {b} for ${c}. How much do {b * a} pencils cost?",
            8 => $"The temperature was {-c}°C at 6 a.m. and rose {a}°C by noon. What was the temperature at noon?",
            _ => $"{n} has {a * 4} marbles and shares them equally among {P(r, 2, 4)} friends, keeping none. Each friend then loses {c % 3 + 1}. How many marbles does each friend have now?",
        };
    }

    /// <summary>A science worksheet: short explain-and-reason questions.</summary>
    public static IEnumerable<string> ScienceWorksheet(Random r, int count)
    {
        string[] pool =
        [
            "Explain why ice floats on water.", "Describe what happens to the particles in a solid when it is heated until it melts.",
            "Why do we see lightning before we hear thunder?", "Name the products of photosynthesis and explain where the process takes place.",
            "A ball is dropped from a table. Describe the energy changes as it falls and bounces.", "Explain the difference between a physical change and a chemical change, with an example of each.",
            "Why does a metal spoon feel colder than a wooden spoon at the same temperature?", "What is the function of the red blood cells?",
            "Explain why the Moon appears to change shape over a month.", "A plant is kept in a dark cupboard for a week. Predict what will happen and explain why.",
            "Why is it important to repeat measurements in an experiment?", "Describe how a fossil is formed.",
            "Explain how the heart pumps blood around the body.", "Why do objects look smaller when they are further away?",
        ];
        return pool.OrderBy(_ => r.Next()).Take(count);
    }

    /// <summary>A narrator system prompt and the user's opening of a story.</summary>
    public static (string System, string Opening) StoryPremise(Random r)
    {
        var genre = P(r, "cozy fantasy", "space opera", "noir detective", "post-apocalyptic survival", "gothic horror", "romantic comedy", "heist thriller");
        var hero = P(r, "a retired smuggler", "a junior archivist", "a disgraced knight", "an AI ship's cook", "a teenage witch", "a night-shift nurse", "a lighthouse keeper");
        var system = $"You are the narrator of an interactive {genre} story. Write in second person, present tense, 120–250 words per turn. Never decide the player's actions; end each turn with a moment of choice. Keep continuity with earlier turns.";
        var opening = P(r,
            $"Start a story where I play {hero} who finds a sealed letter addressed to someone who died twenty years ago.",
            $"I'm {hero}. It's the night of the storm and the power has just gone out. Begin.",
            $"new story pls: {genre}, I'm {hero}, and someone has stolen the only map out of the city",
            $"Let's continue my campaign. Recap: I'm {hero}, I owe money to the harbour guild, and my partner vanished last week. Start at the docks.");
        return (system, opening);
    }

    public static string StoryAction(Random r) => P(r,
        "I open the door slowly and look inside", "ask the innkeeper about the missing caravan", "I pretend not to recognise her", "Run.",
        "check the letter for a hidden seal", "I follow the footprints into the forest", "\"Who sent you?\" I ask, keeping my hand on the hilt",
        "make it darker", "can you describe the room in more detail", "I try to bribe the guard with the silver ring", "go back to the ship",
        "I sit down and listen to the old man's story", "what do I have in my inventory?", "I climb to the roof to get a better view",
        "skip ahead to the next morning", "I tell him the truth", "let's have a plot twist here", "I hide behind the crates and wait");

    private static readonly string[] DialogueLines =
    [
        "Where were you last night?", "I told you, I was at the hospital.", "We don't have much time.", "Put the gun down, {0}.",
        "You think this is funny?", "The train leaves at six.", "I can't do this anymore.", "Have you seen my keys?", "Don't look at me like that.",
        "It's not what you think.", "We need to talk about the money.", "Welcome back, detective.", "Is anyone there?", "Give me one good reason.",
        "She never came home.", "I'll call you tomorrow.", "This is the last time, {0}, I swear.", "The lab results came back.",
        "[door slams]", "[phone ringing]", "Mum, I'm fine, really.", "How much further?", "We're not lost. We're exploring.", "Get in the car.",
        "You were right about him.", "Thanks for coming on such short notice.", "Let's go over the plan one more time.", "I've never seen anything like it.",
        "Coffee? You look like you need it.", "That's classified.", "We're live in five, four...", "{0}, wait!", "Nobody leaves this room.",
    ];

    /// <summary>A chunk of numbered subtitle lines.</summary>
    public static string SubtitleChunk(Random r, int firstIndex, int count, string[] cast)
    {
        var lines = new List<string>();
        var time = TimeSpan.FromSeconds(firstIndex * 3.1 + r.Next(0, 3));
        for (var i = 0; i < count; i++)
        {
            var start = time;
            time += TimeSpan.FromSeconds(1.2 + r.NextDouble() * 3);
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, P(r, DialogueLines), P(r, cast));
            lines.Add($"{firstIndex + i}\n{start:hh\\:mm\\:ss\\,fff} --> {time:hh\\:mm\\:ss\\,fff}\n{text}");
            time += TimeSpan.FromSeconds(r.NextDouble() * 2);
        }
        return string.Join("\n\n", lines);
    }

    /// <summary>A user-generated post of a marketplace or community (for moderation labels).</summary>
    public static string UserPost(Random r)
    {
        var item = P(r, "blender", "phone case", "winter jacket", "garden hose", "gaming chair", "yoga mat", "air fryer", "kids' bike", "desk lamp");
        return r.Next(12) switch
        {
            0 => $"Terrible {item}, broke after two days. Seller ignored my messages. Avoid!!!",
            1 => $"Great {item} for the price, arrived early and works as described. 5 stars.",
            2 => $"Selling my {item}, barely used, ${r.Next(5, 200)} or best offer. DM me, pickup only.",
            3 => $"CHEAP followers and likes!!! visit my profile link, 100% real, limited offer {r.Next(10, 99)}% off",
            4 => $"Does anyone know if the {item} works with the older model? Mine came without instructions.",
            5 => $"you people are idiots if you buy this {item}, the company is run by scammers and so are you",
            6 => $"My order #{r.Next(10000, 99999)} still hasn't shipped and it's been three weeks. What is going on?",
            7 => $"Honestly the {item} is fine but the packaging was excessive. Lots of plastic for no reason.",
            8 => $"Send me your email and phone number and I'll give you a discount code for the {item}",
            9 => $"This {item} saved my life lol, I use it every single day",
            10 => $"Warning: the {item} overheated and started smoking while charging. Unplugged it just in time.",
            _ => $"ok",
        };
    }

    /// <summary>A short code snippet a developer pastes into an IDE assistant, with what they ask about it.</summary>
    public static string CodeQuestion(Random r)
    {
        var name = P(r, "orders", "users", "invoices", "events", "sessions", "items");
        var snippet = r.Next(6) switch
        {
            0 => $"```python\ndef load_{name}(path):\n    with open(path) as f:\n        data = json.load(f)\n    return [x for x in data if x['active'] == True]\n```\nTraceback: KeyError: 'active'",
            1 => $"```ts\nexport async function fetch{char.ToUpperInvariant(name[0])}{name[1..]}(id: string) {{\n  const res = await fetch(`/api/{name}/${{id}}`);\n  return res.json() as {char.ToUpperInvariant(name[0])}{name[1..]}[];\n}}\n```",
            2 => $"```csharp\npublic async Task<List<Order>> Get{char.ToUpperInvariant(name[0])}{name[1..]}Async(int page)\n{{\n    var q = _db.Orders.Where(o => o.Status != null).Skip(page * 50).Take(50);\n    return q.ToList();\n}}\n```",
            3 => $"```sql\nSELECT customer_id, COUNT(*)\nFROM {name}\nWHERE created_at > NOW() - INTERVAL '30 days'\nGROUP BY 1\nHAVING COUNT(*) > {r.Next(2, 20)};\n```",
            4 => $"```python\nfor i in range(len({name})):\n    if {name}[i].price < 0:\n        {name}.remove({name}[i])\n```\nIndexError: list index out of range",
            _ => $"```go\nfunc handle(w http.ResponseWriter, r *http.Request) {{\n    var body Request\n    json.NewDecoder(r.Body).Decode(&body)\n    process(body)\n}}\n```",
        };
        var ask = P(r, "why does this fail?", "can you refactor this?", "write unit tests for this", "is there a performance problem here?",
            "what's wrong with this code", "make this async and add error handling", "explain what this does", "this works but code review says it's not idiomatic, why?");
        return r.Next(2) == 0 ? $"{ask}\n\n{snippet}" : $"{snippet}\n\n{ask}";
    }

    /// <summary>A help-centre article as a retrieval system returns it; many contain "step by step" phrasing.</summary>
    public static string KbArticle(Random r, string product)
    {
        var topic = P(r, "sync errors", "two-factor authentication", "exporting invoices", "connecting a bank account", "inviting teammates",
            "resetting your password", "webhook delivery failures", "changing your plan", "importing a CSV");
        return r.Next(4) switch
        {
            0 => $"Troubleshooting {topic} in {product}. Let's think step by step. Step 1: confirm you are on the latest version. Step 2: sign out and back in. Step 3: check Settings > Integrations for a red status badge. If the problem persists, collect the request ID from the error banner and contact support.",
            1 => $"How to fix {topic} — a step-by-step guide. First, open the {product} dashboard. Then go to Admin > {topic}. Work through each item in the checklist carefully before moving to the next; skipping steps is the most common cause of repeat failures.",
            2 => $"{product} FAQ: {topic}. Q: Why does this happen? A: Usually because the token expired. Reason through the timeline: when did it last work, what changed since? Then follow the reconnection steps in order.",
            _ => $"Release note ({product} {r.Next(3, 9)}.{r.Next(0, 20)}): improvements to {topic}. Administrators should review the new defaults step by step; explain the change to your team before enabling it.",
        };
    }

    public static string CustomerQuestion(Random r, string product) => P(r,
        $"how do I export all my invoices from {product}", "my bank account won't connect, it says token expired", "I can't log in, the 2FA code never arrives",
        "Why are my webhooks failing since yesterday?", "how do i add my accountant as a user", "I was charged twice this month", "can I downgrade my plan mid-cycle?",
        $"is there an API for {product}?", "CSV import says row 14 is invalid but it looks fine", "sync has been stuck at 80% for an hour",
        "where do I change the company address on invoices", "how do I delete my account and all my data");

    /// <summary>A support transcript of the tenant's own bot, to be graded.</summary>
    public static string SupportTranscript(Random r, string product)
    {
        var q = CustomerQuestion(r, product);
        var a = P(r,
            "I'm sorry about that! Please go to Settings > Billing and click 'Request refund'. It usually takes 3–5 business days.",
            "You can do that under Admin > Users > Invite. They'll get an email with a link valid for 48 hours.",
            "That error usually means the connection expired. Please reconnect under Integrations.",
            "I don't have information about that. Would you like me to open a ticket?",
            "Sure! Just export the data as CSV and email it to us, we'll take care of it.");
        return $"Customer: {q}\nAgent: {a}\nCustomer: {P(r, "ok thanks", "that didn't work", "how long will that take?", "can I talk to a human?")}\nAgent: {P(r, "Happy to help!", "Let me escalate that for you.", "Usually within a day.", "I understand, connecting you now.")}";
    }
}
