using Moat.Core.Signals;
using Moat.Detection.Signals;
using Moat.Detection.Sketches;
using Moat.Detection.Text;

namespace Moat.Detection.Tests;

/// <summary>Verified conversations: a history counts only when the gateway served the assistant turn the client sends back.</summary>
public sealed class ConversationTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReplyFingerprint_IgnoresWhitespaceChanges_AndTellsTextsApart()
    {
        Assert.Equal(ReplyFingerprint.Of("Paris is the capital\nof  France."), ReplyFingerprint.Of("  Paris is the capital of France.\n"));
        Assert.NotEqual(ReplyFingerprint.Of("Paris is the capital of France."), ReplyFingerprint.Of("Lyon is the capital of France."));
        Assert.Equal(0UL, ReplyFingerprint.Of((string?)null));
        Assert.Equal(0UL, ReplyFingerprint.Of("   "));
    }

    [Fact]
    public void ServedReplies_RemembersPerOrg_WithTheOpeningItAnswered()
    {
        var replies = new ServedReplies(10_000);
        ulong orgA = StableHash.Of("org-a"), orgB = StableHash.Of("org-b");
        var cls = Opening.ClassOf(cued: true, Opening.ProfileOf("You are a helpful assistant.", 1024, 0.7, 1));
        replies.Add(orgA, 42, new Opening(2.5, cls), At);
        replies.Add(orgA, 43, default, At);
        replies.Add(orgA, 44, new Opening(1, Opening.Classes - 1), At);

        Assert.Equal((true, new Opening(2.5, cls)), replies.Lookup(orgA, 42));
        Assert.Equal((true, new Opening(1, Opening.Classes - 1)), replies.Lookup(orgA, 44));
        Assert.Equal((true, default(Opening)), replies.Lookup(orgA, 43));
        Assert.False(replies.Lookup(orgB, 42).Served); // another org's reply is not this org's conversation
        Assert.False(replies.Lookup(orgA, 45).Served);
    }

    [Fact]
    public void ServedReplies_ForgetsAfterTwoGenerations_NeverWithinOne()
    {
        var replies = new ServedReplies(1_000);
        var org = StableHash.Of("org");
        replies.Add(org, 7, default, At);
        for (ulong i = 0; i < 999; i++)
        {
            replies.Add(org, 1_000 + i, default, At);
            Assert.True(replies.Lookup(org, 7).Served);
        }
        for (ulong i = 0; i < 1_000; i++)
        {
            replies.Add(org, 5_000 + i, default, At);
        }
        Assert.False(replies.Lookup(org, 7).Served);
    }

    [Fact]
    public void ServedReplies_OpeningsFillAGenerationByTheirEntries_FalseServedStaysRare()
    {
        // Every reply here answered a counted opening of the class with all five bits set: seven entries each. A generation
        // of 1,000 entries holds ~143 of them; the filters never claim more than they can hold.
        var replies = new ServedReplies(1_000);
        var org = StableHash.Of("org");
        var opening = new Opening(1, Opening.Classes - 1);
        for (ulong i = 1; i <= 140; i++)
        {
            replies.Add(org, i, opening, At);
        }
        var falseServed = 0;
        for (ulong i = 0; i < 20_000; i++)
        {
            falseServed += replies.Lookup(org, 1_000_000 + i).Served ? 1 : 0;
        }
        Assert.True(replies.Lookup(org, 1).Served);
        Assert.True(falseServed < 20_000 * 0.01, $"{falseServed} of 20,000 never-served replies looked served");

        for (ulong i = 200; i < 500; i++)
        {
            replies.Add(org, i, opening, At);
        }
        Assert.False(replies.Lookup(org, 1).Served); // two generations of entries later
    }

    [Fact]
    public void FabricatedHistory_IsNoCover_WhileRealConversationsAre()
    {
        // Two orgs send the same 1,200 cue-free questions with long answers. One wraps each in a history it wrote itself
        // (few-shot style); the other really converses: each question is followed up, sending back what it was served.
        var engine = DetectionEngine.Create();
        // The engine has been serving for a while: it remembers replies further back than the verification horizon.
        engine.Process(new FeatureBuilder("org-earlier") { Origin = At - TimeSpan.FromHours(3) }.Build("Hello there."));
        var faker = new FeatureBuilder("org-faker");
        var talker = new FeatureBuilder("org-talker") { Ip = "198.51.100.7", UserAgent = "other-client/2.0" };
        for (var i = 0; i < 1_200; i++)
        {
            var question = Corpus.Questions[i % Corpus.Questions.Length] + $" (case {i})";
            engine.Process(faker.Build(question, messages: 3, maxTokens: 2048, priorReply: "Sure! Here is an example answer to a similar question."));
            engine.Process(talker.Build(question, maxTokens: 2048));
            engine.Process(talker.Build("Thanks, can you go into more detail on the second point?", messages: 3, maxTokens: 2048));
        }
        var faked = engine.Scorer.Get("org-faker")!;
        var talked = engine.Scorer.Get("org-talker")!;

        Assert.True(faked.Score >= 50, $"fabricated history: {faked.Score}");
        Assert.True(talked.Score < 50, $"real conversations: {talked.Score}");
        Assert.True(faked.Signals.Single(s => s.Name == "extraction_volume").Value > 0.5);
        Assert.True(talked.Signals.Single(s => s.Name == "extraction_volume").Value < 0.05,
            talked.Signals.Single(s => s.Name == "extraction_volume").Evidence);
    }

    [Fact]
    public void HarvestHiddenInChat_KeepsItsWeight_ChatAroundItDoesNot()
    {
        // Three days; each day 150 conversations of three turns, and 140 one-shot reasoning harvests nobody follows up
        // (about a quarter of the traffic). The same chat without the harvest stays at the baseline.
        var engine = DetectionEngine.Create();
        var mixed = new FeatureBuilder("org-mixed") { Gap = TimeSpan.FromSeconds(30) };
        var chat = new FeatureBuilder("org-chat") { Gap = TimeSpan.FromSeconds(30), Ip = "198.51.100.7", UserAgent = "other-client/2.0" };
        var random = new Random(5);
        for (var i = 0; i < 450; i++)
        {
            var opening = Corpus.Questions[random.Next(Corpus.Questions.Length)] + $" ({i})";
            foreach (var builder in new[] { mixed, chat })
            {
                engine.Process(builder.Build(opening));
                engine.Process(builder.Build("Can you say more about that?", messages: 3));
                engine.Process(builder.Build("And what would you do in my place?", messages: 5));
            }
            if (i % 10 < 9)
            {
                engine.Process(mixed.Build($"Problem {i}: a train leaves at {random.Next(1, 12)}:00 at {random.Next(40, 120)} km/h. " +
                    "Think step by step and show every step of your reasoning before the final answer.", maxTokens: 4096));
            }
        }

        Assert.True(engine.Scorer.GetScore("org-mixed") >= 50, $"mixed {engine.Scorer.GetScore("org-mixed")}");
        Assert.True(engine.Scorer.GetScore("org-chat") < 5, $"chat {engine.Scorer.GetScore("org-chat")}");
    }

    [Fact]
    public void ServedReplies_TellNotServedOnlyOnceTheyRememberFarEnoughBack()
    {
        var replies = new ServedReplies(10_000);
        var org = StableHash.Of("org");
        Assert.False(replies.Remembers(At));
        replies.Add(org, 1, default, At);
        Assert.False(replies.Remembers(At + TimeSpan.FromHours(1)));
        Assert.True(replies.Remembers(At + ServedReplies.MinimumHorizon));
    }

    [Fact]
    public void JustAfterAStart_ContinuationsOfEarlierReplies_AreTakenAtTheirWord()
    {
        // A restart (or a fresh deployment) in the middle of a busy chat product's day: for the first requests every
        // conversation continues a reply served before the process started. They must not count as one-shot harvests.
        var engine = DetectionEngine.Create();
        var chat = new FeatureBuilder("org-busy-chat") { Gap = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 1_500; i++)
        {
            engine.Process(chat.Build(Corpus.Questions[i % Corpus.Questions.Length] + $" ({i})", messages: 3,
                priorReply: $"An answer served before the restart, number {i}."));
        }
        var assessment = engine.Scorer.Get("org-busy-chat")!;

        Assert.True(assessment.Score < 5, $"score {assessment.Score}");
        Assert.Equal(0, assessment.Signals.Single(s => s.Name == "extraction_volume").Value);
    }

    // Long, unrelated tasks (written for these tests): each shares no content word with the others.
    private static readonly string[] Tasks =
    [
        "Describe the causes and consequences of the French Revolution, including economic pressures and Enlightenment ideas.",
        "Write a Python function that merges overlapping intervals in a list and analyse its complexity.",
        "Compare photosynthesis in desert succulents with tropical rainforest canopy trees, focusing on water conservation.",
        "Draft a persuasive speech arguing municipal libraries deserve larger budgets despite digital alternatives.",
        "Outline how central banks respond to runaway inflation, with historical examples from Weimar Germany and Zimbabwe.",
        "Design a beginner marathon training schedule spanning sixteen weeks, with tapering and injury prevention.",
        "Summarise the plot structure of classic Greek tragedies and the role of the chorus.",
        "Calculate the monthly mortgage payment for a thirty year loan and derive the amortisation formula.",
        "Propose a marketing strategy for launching artisanal cheese subscriptions across Scandinavian countries.",
        "Analyse how volcanic eruptions influence global climate patterns through sulphate aerosols in the stratosphere.",
        "Create a lesson plan teaching fractions to nine year olds using pizza slices and chocolate bars.",
        "Evaluate arguments for and against nuclear energy considering waste storage, reactor safety and emissions.",
    ];

    [Theory]
    [InlineData("ok", "What is the capital of Peru?", "Lima is the capital.", false)] // short: a follow-up whatever it says
    [InlineData("Can you make the merge function handle intervals given as tuples and explain the complexity again?",
        "Write a Python function that merges overlapping intervals in a list and analyse its complexity.", "def merge(intervals): ...", false)]
    [InlineData("Thanks! Next question: Design a beginner marathon training schedule spanning sixteen weeks, with tapering and injury prevention.",
        "Write a Python function that merges overlapping intervals in a list and analyse its complexity.", "def merge(intervals): ...", true)]
    [InlineData("Why does the sulphate aerosol layer cool the surface while greenhouse gases warm it, and for how many years?",
        "Tell me about eruptions.", "Large eruptions inject sulphate aerosols into the stratosphere, which reflect sunlight.", false)]
    public void FollowUpRelevance_TellsAFollowUpFromANewTask(string turn, string priorUser, string priorReply, bool standalone) =>
        Assert.Equal(standalone, FollowUpRelevance.IsStandalone(turn, priorUser, priorReply));

    [Fact]
    public void LaunderedConversations_NewTasksSentAsTurns_CountAsHarvest()
    {
        // Both orgs hold 900 three-turn conversations that open with a long task and send back what they were served.
        // The launderer's later turns are further new tasks ("Thanks! Next question: …"); the tutor's are about the answer.
        var engine = DetectionEngine.Create();
        engine.Process(new FeatureBuilder("org-earlier") { Origin = At - TimeSpan.FromHours(3) }.Build("Hello there."));
        var launderer = new FeatureBuilder("org-launderer");
        var tutor = new FeatureBuilder("org-tutor") { Ip = "198.51.100.7", UserAgent = "other-client/2.0" };
        for (var i = 0; i < 900; i++)
        {
            engine.Process(launderer.Build($"{Tasks[i % Tasks.Length]} (case {i})", maxTokens: 2048));
            engine.Process(launderer.Build($"Thanks, that's helpful. Next question: {Tasks[(i + 5) % Tasks.Length]} (case {i})", messages: 3, maxTokens: 2048));
            engine.Process(launderer.Build($"Great. Another one for you: {Tasks[(i + 8) % Tasks.Length]} (case {i})", messages: 5, maxTokens: 2048));
            var task = Tasks[i % Tasks.Length];
            engine.Process(tutor.Build($"{task} (case {i})", maxTokens: 2048));
            engine.Process(tutor.Build($"I don't follow the part about {string.Join(' ', task.Split(' ').Skip(3).Take(4))} — can you explain it more simply?", messages: 3, maxTokens: 2048));
            engine.Process(tutor.Build("Thanks. Can you give me one more example?", messages: 5, maxTokens: 2048));
        }
        var laundered = engine.Scorer.Get("org-launderer")!.Signals.Single(s => s.Name == "extraction_volume");
        var tutored = engine.Scorer.Get("org-tutor")!.Signals.Single(s => s.Name == "extraction_volume");

        Assert.True(laundered.Value > 0.5, laundered.Evidence);
        Assert.True(tutored.Value < 0.05, tutored.Evidence);
    }

    [Fact]
    public void HarvestThroughItsOwnClientProfile_IsNotHiddenByTheProductsConversations()
    {
        // One org: a writing product (its own system prompt with the day's date, max_tokens 600, temperature 0.8) whose users
        // follow up half of what they ask, and a job on the same key (no system prompt, max_tokens 1,500, temperature 0.7)
        // asking 300 one-shot questions nobody follows up. Pooled, the product's follow-ups would gate the job's mass away.
        var engine = DetectionEngine.Create();
        var org = new FeatureBuilder("org-product") { Gap = TimeSpan.FromSeconds(20) };
        for (var i = 0; i < 600; i++)
        {
            var system = $"You are Draftly, a writing assistant. Today is 2025-01-{6 + i / 200:D2}.";
            engine.Process(org.Build($"Write a short announcement about {Corpus.Questions[i % Corpus.Questions.Length]} ({i})", system, maxTokens: 600, temperature: 0.8));
            if (i % 2 == 0)
            {
                engine.Process(org.Build("Make it shorter and friendlier.", system, messages: 3, maxTokens: 600, temperature: 0.8));
            }
            if (i % 2 == 1)
            {
                engine.Process(org.Build($"{Tasks[i % Tasks.Length]} (item {i})", maxTokens: 1500, temperature: 0.7));
            }
        }
        var volume = engine.Scorer.Get("org-product")!.Signals.Single(s => s.Name == "extraction_volume");

        Assert.True(Convert.ToDouble(volume.Details["kept_mass"]) >= 0.8 * 300 * 0.97, volume.Evidence);
        Assert.Equal(Opening.ProfileOf("You are Draftly. Today is 2025-01-06.", 600, 0.8, 1), Opening.ProfileOf("You are Draftly. Today is 2025-01-07.", 600, 0.8, 1));
    }

    [Fact]
    public void GradingOwnTranscripts_WeighsAQuarter_ItsRubricInTheSystemPrompt()
    {
        // A support team grades 1,500 of its own bot's transcripts overnight against a rubric that asks for step-by-step
        // reasoning and JSON. The verdicts are about its own text: a quarter of a new answer each, far from a harvest's mass.
        const string rubric = "You are a strict QA reviewer for Acme's support assistant. Rubric: accuracy, tone, resolution. " +
            "Think step by step about each criterion, then output JSON.";
        var engine = DetectionEngine.Create();
        var grader = new FeatureBuilder("org-grader") { Gap = TimeSpan.FromSeconds(2) };
        var random = new Random(11);
        for (var i = 0; i < 1_500; i++)
        {
            engine.Process(grader.Build($"Transcript #{i}:\nCustomer: {Corpus.SupportQuestion(random)}\nAgent: Please go to Settings and choose Billing, then Refund.\nCustomer: ok thanks",
                rubric, temperature: 0, maxTokens: 400));
        }
        var volume = engine.Scorer.Get("org-grader")!.Signals.Single(s => s.Name == "extraction_volume");

        Assert.True(TransformationCue.IsAssessment(rubric, 100));
        Assert.True(TransformationCue.HasMaterialToJudge("Rate the response.\nResponse: Paris is the capital of France, on the Seine.", "same"));
        Assert.False(TransformationCue.HasMaterialToJudge("Act as a strict grader. What is 17 * 23?\nAnswer:", "Act as a strict grader. What is 17 * 23?\nAnswer:"));
        Assert.False(TransformationCue.IsAssessment("Write an essay about the history of grading systems in schools.", 100));
        Assert.InRange(Convert.ToDouble(volume.Details["harvest_shaped"]), 0.8 * 1_500 * ExtractionVolume.AssessmentWeight, 1_500 * ExtractionVolume.AssessmentWeight);
        Assert.True(volume.Value < 0.5, volume.Evidence);
        Assert.True(engine.Scorer.GetPeakScore("org-grader") < 50, $"peak {engine.Scorer.GetPeakScore("org-grader")}");
    }

    [Fact]
    public void TaskCarriedInAnEarlierTurn_IsNew_ThoughTheLastTurnRepeatsOneInstruction()
    {
        // Fabricated agent sessions: the task sits in the first user turn, the last turn is always the same tool result
        // and "now write the complete answer". Each request is a new task, not a re-send of one prompt.
        var engine = DetectionEngine.Create();
        engine.Process(new FeatureBuilder("org-earlier") { Origin = At - TimeSpan.FromHours(3) }.Build("Hello there."));
        var agent = new FeatureBuilder("org-agent");
        for (var i = 0; i < 1_200; i++)
        {
            engine.Process(agent.Build("Tool result (web_search): no complete answer found.\n\nNow write the complete final answer for the user.",
                messages: 3, maxTokens: 4000, temperature: 0.3, priorReply: "{\"tool\": \"web_search\"}") with
            {
                PriorUserPrompt = $"Task from user: {Tasks[i % Tasks.Length]} (case {i})",
            });
        }
        var volume = engine.Scorer.Get("org-agent")!.Signals.Single(s => s.Name == "extraction_volume");

        Assert.True(Convert.ToDouble(volume.Details["harvest_shaped"]) > 1_000, volume.Evidence);
    }

    [Fact]
    public void GraderPersona_InFrontOfQuestions_IsNoDiscount()
    {
        // A harvester that prefixes every question with "Act as a strict grader" asks questions, not for verdicts on
        // supplied text: its requests weigh what any question weighs.
        var engine = DetectionEngine.Create();
        var persona = new FeatureBuilder("org-persona");
        var plain = new FeatureBuilder("org-plain") { Ip = "198.51.100.7", UserAgent = "other-client/2.0" };
        for (var i = 0; i < 600; i++)
        {
            var task = $"{Tasks[i % Tasks.Length]} (case {i})";
            engine.Process(persona.Build("Act as a strict grader and expert examiner. " + task, maxTokens: 2048));
            engine.Process(plain.Build(task, maxTokens: 2048));
        }
        double Harvested(string org) => Convert.ToDouble(engine.Scorer.Get(org)!.Signals.Single(s => s.Name == "extraction_volume").Details["harvest_shaped"]);

        Assert.Equal(Harvested("org-plain"), Harvested("org-persona"), 1.0);
    }
}
