using Moat.Core.Signals;

namespace Moat.Detection.Tests;

/// <summary>Builds request features for tests: one org, one key, a clock that ticks per request.</summary>
internal sealed class FeatureBuilder(string orgId, string keyId = "key-1")
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
    private int _sequence;

    public string Ip { get; set; } = "203.0.113.10";
    public string UserAgent { get; set; } = "test-agent/1.0";
    public TimeSpan Gap { get; set; } = TimeSpan.FromSeconds(3);
    public DateTimeOffset Origin { get; set; } = Start;

    /// <summary>The text served for the last request built (each request is answered with its own text).</summary>
    public string? LastReply { get; private set; }

    /// <summary>The user prompt of the last request built (sent back as the previous user turn of a continuation).</summary>
    public string? LastPrompt { get; private set; }

    /// <summary>
    /// Builds one request. With earlier turns (<paramref name="messages"/> &gt; 1) the client sends back
    /// <paramref name="priorReply"/>, by default what the previous request was served (a real conversation); pass any
    /// other text for a history the client wrote itself.
    /// </summary>
    public RequestFeatures Build(string prompt, string? system = null, int messages = 1, int n = 1, double? temperature = null,
        int? maxTokens = null, bool logprobs = false, string? key = null, string model = "moat-large-1", string? priorReply = null)
    {
        var prior = messages > 1 ? priorReply ?? LastReply : null;
        var priorUser = messages > 1 ? LastPrompt : null;
        LastReply = $"Served answer number {_sequence} for {orgId}.";
        LastPrompt = prompt;
        return Build(prompt, system, messages, n, temperature, maxTokens, logprobs, key, model, prior, priorUser, LastReply);
    }

    private RequestFeatures Build(string prompt, string? system, int messages, int n, double? temperature,
        int? maxTokens, bool logprobs, string? key, string model, string? prior, string? priorUser, string served) => new()
    {
        PriorReplyFingerprint = ReplyFingerprint.Of(prior),
        PriorReply = prior,
        PriorUserPrompt = priorUser,
        ServedReplyFingerprint = ReplyFingerprint.Of(served),
        RequestId = $"{orgId}-{_sequence}",
        OrgId = orgId,
        KeyId = key ?? keyId,
        Model = model,
        Endpoint = "/v1/chat/completions",
        Timestamp = Origin + Gap * _sequence++,
        SystemPrompt = system,
        UserPrompt = prompt,
        MessageCount = messages + (system is null ? 0 : 1),
        N = n,
        Temperature = temperature,
        MaxTokens = maxTokens,
        Logprobs = logprobs,
        ClientIp = Ip,
        UserAgent = UserAgent,
    };
}

/// <summary>Small fixed corpora for the signal tests (written for the tests, not taken from the simulator).</summary>
internal static class Corpus
{
    public static readonly string[] Questions =
    [
        "What are some good houseplants for a dark apartment?", "How do I politely decline a wedding invitation?",
        "Explain how vaccines train the immune system.", "Write a short poem about autumn rain.",
        "What is the difference between a Roth IRA and a traditional IRA?", "Can you suggest a 3-day itinerary for Lisbon?",
        "How should I prepare for a job interview at a startup?", "Why is the sky blue?", "Give me a recipe for vegan lasagna.",
        "What causes inflation?", "How do I fix a leaking kitchen tap?", "Summarise the plot of Hamlet.",
        "What are the rules of cricket in simple terms?", "How can I improve my sleep?", "Translate 'good morning' into Italian.",
        "What should I look for when buying a used car?", "How do black holes form?", "Help me write a birthday message for my boss.",
        "What is a good beginner workout routine?", "Explain recursion to a ten year old.",
    ];

    public static readonly (string Instruction, string Input, string Output)[] Seeds =
    [
        ("Suggest a name for the startup described.", "A company that rents out camping gear.", "TrailKit"),
        ("Classify the sentiment of the review.", "The food was cold and the waiter rude.", "Negative"),
        ("Rewrite the sentence in passive voice.", "The cat chased the mouse.", "The mouse was chased by the cat."),
        ("List three uses of baking soda.", "", "Cleaning, baking, deodorising."),
        ("Convert the temperature to Fahrenheit.", "25 C", "77 F"),
        ("Write a haiku about the sea.", "", "Waves fold into foam / ..."),
        ("Find the odd one out.", "apple, banana, carrot, grape", "carrot"),
        ("Summarise the paragraph in one sentence.", "The council voted to extend library hours...", "Library hours will be longer."),
    ];

    public static string SelfInstruct(Random random)
    {
        var text = "You are asked to come up with a set of 20 diverse task instructions. These task instructions will be given to a GPT model " +
            "and we will evaluate the GPT model for completing the instructions.\n\nHere are the requirements:\n1. Try not to repeat the verb for each instruction to maximize diversity.\n" +
            "2. The instructions should be in English.\n3. Not all instructions require input; in that case put \"<noinput>\" in the input field.\n\nList of 20 tasks:\n";
        for (var i = 1; i <= 3; i++)
        {
            var (instruction, input, output) = Seeds[random.Next(Seeds.Length)];
            text += $"###\n{i}. Instruction: {instruction}\n{i}. Input:\n{(input.Length == 0 ? "<noinput>" : input)}\n{i}. Output:\n{output}\n";
        }
        return text + "###\n4. Instruction:";
    }

    public static string SupportQuestion(Random random) =>
        $"Hi, my {random.Next(1000)}-series router keeps dropping wifi since {random.Next(2, 28)} March, order AC-{random.Next(100000, 999999)}. " +
        Questions[random.Next(Questions.Length)];

    public static string WordProblem(Random random)
    {
        string[] names = ["Maria", "Tom", "Aisha", "Ken", "Lena"];
        string[] things = ["apples", "stickers", "books", "marbles", "cupcakes"];
        var name = names[random.Next(names.Length)];
        var thing = things[random.Next(things.Length)];
        return $"{name} has {random.Next(10, 90)} {thing}. She gives {random.Next(2, 9)} {thing} to each of her {random.Next(2, 6)} friends " +
            $"and then buys {random.Next(5, 30)} more for ${random.Next(2, 9)} each. How many {thing} does {name} have now?";
    }
}
