using Moat.Core.Signals;
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
        replies.Add(orgA, 42, new Opening(2.5, Opening.ClassOf(cued: true, maxTokens: 1024)), At);
        replies.Add(orgA, 43, default, At);

        Assert.Equal((true, new Opening(2.5, Opening.ClassOf(true, 1024))), replies.Lookup(orgA, 42));
        Assert.Equal((true, default(Opening)), replies.Lookup(orgA, 43));
        Assert.False(replies.Lookup(orgB, 42).Served); // another org's reply is not this org's conversation
        Assert.False(replies.Lookup(orgA, 44).Served);
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
}
