namespace Moat.Simulation.Tenants;

/// <summary>Fixed phrase banks the tenants combine; written for the simulator, not taken from the detector's cue lists.</summary>
internal static class Phrases
{
    public static readonly string[] FollowUps =
    [
        "Can you give me more detail on that?", "Thanks! Could you make it shorter?", "What would you recommend for a beginner?",
        "Can you give an example?", "Why is that?", "OK, and what are the downsides?", "Could you rewrite that in a friendlier tone?",
        "That's helpful. What should I do first?", "Is there a cheaper option?", "Can you put that in a table?",
        "Hmm, I don't think that's right. Can you double-check?", "What about for kids?", "How long would that take?",
        "Could you summarise that in three bullet points?", "Great, thank you. One more question: is this safe?",
    ];

    public static readonly string[] StepByStepAsks =
    [
        "Explain it step by step please.", "Can you walk me through it step by step?", "Please show your working.",
        "Go step by step, I'm a beginner.",
    ];

    public static readonly string[] Companies = ["Acme Home", "Nimbus Cloud", "Brightline Telecom", "Fjord Furniture", "Pixel Cameras", "Orbit Bikes", "Sunleaf Foods", "Kestrel Bank"];
    public static readonly string[] Products = ["router", "subscription", "sofa", "camera", "e-bike", "meal box", "credit card", "storage plan", "smart thermostat", "phone plan", "desk", "lens"];
    public static readonly string[] Issues =
    [
        "stopped working after the last update", "arrived damaged", "was charged twice", "won't connect to wifi", "is missing a part",
        "keeps restarting", "has the wrong size", "shows an error code", "was never delivered", "needs to be cancelled",
        "is making a strange noise", "can't be activated", "was refused at checkout", "has a scratch on the side",
    ];
    public static readonly string[] CustomerOpeners = ["Hi,", "Hello there.", "Hey!", "Good morning,", "Hi team,", "", "Urgent:", "Hello,"];
    public static readonly string[] CustomerAsks =
    [
        "What can I do?", "Can I get a refund?", "How do I fix this?", "Can you send a replacement?", "Who should I contact?",
        "Is this covered by the warranty?", "How long will it take?", "Can you help me please?", "What are my options?",
    ];

    public static readonly string[] Languages = ["French", "German", "Spanish", "Japanese", "Portuguese", "Italian", "Korean", "Dutch"];

    public static readonly string[] CodeTasks =
    [
        "parses a CSV file and returns the rows as dictionaries", "debounces a function call", "reads a config file with defaults",
        "retries an HTTP request with exponential backoff", "flattens a nested list", "validates an email address",
        "merges two sorted arrays", "converts a timestamp to the user's time zone", "paginates a SQL query",
        "computes a moving average over a stream", "deduplicates records by key", "uploads a file to S3",
    ];
    public static readonly string[] CodeLanguages = ["Python", "TypeScript", "C#", "Go", "Rust", "Java", "SQL", "Bash"];
    public static readonly string[] CodeErrors =
    [
        "TypeError: 'NoneType' object is not subscriptable", "NullReferenceException", "undefined is not a function",
        "index out of range", "deadlock detected", "cannot borrow as mutable", "segmentation fault", "connection reset by peer",
    ];

    public static readonly string[] ReasoningWrappers =
    [
        "{0}\n\nThink step by step and show all of your reasoning before giving the final answer.",
        "{0}\n\nLet's think step by step.",
        "Please answer the following. Explain your reasoning in detail, one step at a time, then state the final answer.\n\n{0}",
        "{0}\n\nWalk through your complete thought process before answering.",
        "Question: {0}\nWrite out your chain of thought, then give the final answer on the last line.",
    ];

    public static readonly string[] ReasoningSystemPrompts =
    [
        "You are a meticulous assistant. Always reason step by step and show your full working before the final answer.",
        "Think carefully. Output your reasoning inside <think> tags, then the answer.",
    ];
}
