using Moat.Simulation.Transport;

namespace Moat.Simulation.Tenants.HeldOut5;

/// <summary>
/// An interview-prep site: candidates paste LeetCode-style problems, ask for the approach step by step and a solution
/// with its complexity, then argue with it, ask for hints, paste their own attempt.
/// </summary>
public sealed class H5CodingInterviewPrepTenant : HeldOut5Tenant
{
    private static readonly string[] Problems =
    [
        "Given an array of integers nums and an integer k, return the length of the longest subarray whose sum equals k.",
        "Given a string s, find the length of the longest substring without repeating characters.",
        "You are given n meetings as [start, end] pairs. Return the minimum number of conference rooms required.",
        "Design an LRU cache with get and put in O(1).",
        "Given the root of a binary tree, return its zigzag level order traversal.",
        "Given a list of course prerequisites, determine whether all courses can be finished.",
        "Merge k sorted linked lists and return one sorted list.",
        "Given an m x n board of characters and a word, return true if the word exists in the grid.",
        "Find the kth largest element in an unsorted array.",
        "Given coins of different denominations and an amount, return the fewest coins that make up the amount.",
        "Serialize and deserialize a binary tree.",
        "Given an array of heights, compute how much rain water can be trapped.",
        "Return all possible subsets of a set of distinct integers.",
        "Given two words and a dictionary, find the length of the shortest transformation sequence.",
        "Implement a trie with insert, search and startsWith.",
        "Given a sorted array rotated at an unknown pivot, search for a target value.",
    ];

    private static readonly string[] Openers =
    [
        "{0}\n\nExplain the optimal approach step by step, then give a {1} solution with time and space complexity.",
        "I have an interview {2}. Problem: {0}\nCan you walk me through how to think about it before showing code?",
        "{0}\n\nGive me a hint only, don't spoil the solution.",
        "Problem: {0}\nWhat pattern is this (sliding window, two pointers, DP...)? Then show a clean {1} implementation.",
    ];

    private static readonly string[] FollowUps =
    [
        "ok I think I get it, show the full solution", "why not just use a hash map here?", "what's the brute force and why is it too slow?",
        "here's my attempt:\n```\nfor i in range(len(nums)):\n    for j in range(i, len(nums)):\n        if sum(nums[i:j+1]) == k: best = max(best, j-i+1)\n```\nwhat's wrong with it?",
        "how would I explain this out loud in 2 minutes?", "what are similar problems I should practise?", "can you do it with O(1) extra space?",
        "what edge cases would an interviewer ask about?", "rewrite it in {1} please", "walk through it with the input [3, 1, 4, 1, 5]",
    ];

    private readonly SimulatedOrg _org;
    private readonly double _offset;
    private readonly string _ua;
    private readonly string _ip;

    public H5CodingInterviewPrepTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 300_000);
        Orgs = [_org];
        _offset = PickOffset();
        _ua = BackendUserAgent();
        _ip = CloudIp();
    }

    public override string Kind => "h5-coding-interview-prep";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        const string system = "You are an interview coach. Teach the reasoning behind each solution, mention complexity, and encourage the candidate.";
        for (var u = Random.Next(15, 60); u > 0; u--)
        {
            var lang = H5Text.Of(Random, H5Text.CodeLanguages);
            for (var s = 1 + MoreTurns(0.4, 3); s > 0; s--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => Math.Max(OfficeDay(t, _offset) * 0.5, ConsumerDay(t, _offset)));
                var turns = new List<string> { Fill(PickFrom(Openers), PickFrom(Problems), lang, PickFrom("on Monday", "on Thursday", "this Friday", "next week")) };
                for (var i = MoreTurns(0.65, 6); i > 0; i--)
                {
                    turns.Add(Fill(PickFrom(FollowUps), "", PickFrom(H5Text.CodeLanguages)));
                }
                planned.AddRange(Session(_org, at, _ip, _ua, system, turns, readSeconds: 90, temperature: 0.3, maxTokens: 1500));
            }
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A quiz and flashcard tool for teachers: "generate 20 quiz questions about X for grade Y", then edits — harder,
/// multiple choice, translated, turned into a worksheet. Students also turn their notes into flashcards.
/// </summary>
public sealed class H5FlashcardGeneratorTenant : HeldOut5Tenant
{
    private static readonly string[] Asks =
    [
        "Generate {0} quiz questions about {1} for {2} students. Include an answer key at the end.",
        "Create {0} flashcards (term on the front, definition on the back) for {1}, {2} level. Return JSON: [{\"front\": ..., \"back\": ...}]",
        "Write {0} multiple-choice questions with 4 options each about {1} for {2}. Mark the correct option.",
        "Make a list of {0} discussion prompts about {1} for a {2} class.",
        "Give me {0} true/false statements about {1} suitable for {2}, with the answers.",
        "Create a {0}-question exit ticket on {1} for {2} students.",
    ];

    private static readonly string[] Edits =
    [
        "Make them a bit harder.", "Replace questions 4 and 7, they're too similar.", "Now add a one-sentence explanation for each answer.",
        "Turn these into a fill-in-the-blank worksheet.", "Translate them into Spanish for my ELL students.", "Can you make 5 more like number 3?",
        "Shorten the wording, my students are struggling readers.", "Format as a table with columns Question | Answer.", "Great, thanks!",
    ];

    private readonly SimulatedOrg _org;
    private readonly double _offset;
    private readonly string _ua;

    public H5FlashcardGeneratorTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 2, tokensPerMinute: 300_000);
        Orgs = [_org];
        _offset = PickFrom(-8.0, -6.0, -5.0, 0.0, 1.0, 10.0);
        _ua = BackendUserAgent();
    }

    public override string Kind => "h5-flashcard-generator";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        var ips = Enumerable.Range(0, 3).Select(_ => CloudIp()).ToArray();
        for (var teacher = Random.Next(15, 50); teacher > 0; teacher--)
        {
            var subject = H5Text.Of(Random, H5Text.Subjects);
            var grade = H5Text.Of(Random, H5Text.Grades);
            for (var s = 1 + MoreTurns(0.5, 4); s > 0; s--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => Math.Max(OfficeDay(t, _offset), 0.6 * ConsumerDay(t, _offset)));
                var turns = new List<string> { Fill(PickFrom(Asks), PickFrom("10", "12", "15", "20", "25", "30"), Chance(0.7) ? subject : H5Text.Of(Random, H5Text.Subjects), grade) };
                for (var i = MoreTurns(0.5, 4); i > 0; i--)
                {
                    turns.Add(PickFrom(Edits));
                }
                planned.AddRange(Session(_org, at, PickFrom(ips), _ua, "You help teachers create classroom materials. Be accurate and age-appropriate.",
                    turns, readSeconds: 75, temperature: 0.7, maxTokens: 2500));
            }
        }
        // Students turning their notes into study sets.
        for (var student = Random.Next(10, 60); student > 0; student--)
        {
            var at = RandomTimeWhen(Context.Start, End, t => AfterSchool(t, _offset));
            var notes = $"{H5Text.Of(Random, H5Text.Subjects)} notes: {H5Text.PaperExcerpt(Random).Split('\n')[2].Trim()}";
            planned.AddRange(Session(_org, at, PickFrom(ips), _ua, "You turn student notes into flashcards.",
                [$"Turn these notes into {PickFrom(10, 15, 20)} flashcards:\n{notes}"], readSeconds: 60, temperature: 0.5, maxTokens: 1500));
        }
        return InOrder(planned);
    }
}

/// <summary>
/// A homework helper for children: word problems (their own and textbook ones), "explain step by step", confusion
/// follow-ups, many students on phones at home after school.
/// </summary>
public sealed class H5KidsHomeworkTenant : HeldOut5Tenant
{
    private static readonly string[] Confused =
    [
        "i dont get step 2", "why did you divide there?", "can you explain it simpler", "ok can you give me a similar one to practice", "thank you!!",
        "my teacher said the answer is different", "what does ratio mean", "can you check my answer", "so the answer is just the last number?",
        "do i have to show all of that", "wait where did the 12 come from",
    ];

    private readonly SimulatedOrg _org;
    private readonly double _offset;

    public H5KidsHomeworkTenant(string id, TenantContext context) : base(id, context)
    {
        _org = NewOrg(keys: 3, tokensPerMinute: 400_000);
        Orgs = [_org];
        _offset = PickOffset();
    }

    public override string Kind => "h5-kids-homework";
    public override bool IsAbusive => false;

    public override IEnumerable<SimulatedRequest> Generate()
    {
        var planned = new List<SimulatedRequest>();
        const string system = "You are a patient tutor for children aged 8 to 14. Guide the student step by step, use simple words, and check understanding.";
        var schoolNat = RandomIp(100, 64 + Random.Next(0, 60), Random.Next(0, 256));
        for (var kid = Random.Next(50, 200); kid > 0; kid--)
        {
            var ip = Chance(0.1) ? schoolNat : HomeIp();
            var ua = MobileUserAgent();
            for (var s = 1 + MoreTurns(0.3, 2); s > 0; s--)
            {
                var at = RandomTimeWhen(Context.Start, End, t => AfterSchool(t, _offset));
                var roll = Random.NextDouble();
                var ask = roll < 0.6 ? H5Text.WordProblem(Random)
                    : roll < 0.75 ? Pick(Data.Gsm8k).Question
                    : $"what is {H5Text.Of(Random, H5Text.Subjects)}";
                if (Chance(0.6))
                {
                    ask += " " + PickFrom("explain step by step", "can you explain step by step please", "show me how to solve it", "step by step pls");
                }
                var turns = new List<string> { Typed(ask) };
                for (var i = MoreTurns(0.5, 4); i > 0; i--)
                {
                    turns.Add(Chance(0.2) ? $"is the answer {Random.Next(2, 200)}?" : PickFrom(Confused));
                }
                planned.AddRange(Session(_org, at, ip, ua, system, turns, readSeconds: 50, temperature: 0.5));
            }
        }
        return InOrder(planned);
    }
}
