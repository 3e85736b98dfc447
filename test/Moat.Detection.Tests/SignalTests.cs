using Moat.Detection.Benchmarks;
using Moat.Detection.Signals;

namespace Moat.Detection.Tests;

public sealed class SignalTests
{
    [Fact]
    public void TemplateReuse_SupportBotVsSelfInstruct_OnlySelfInstructRecyclesSlots()
    {
        var random = new Random(1);
        var engine = DetectionEngine.Create();
        var bot = new FeatureBuilder("org-bot");
        var generator = new FeatureBuilder("org-gen");
        for (var i = 0; i < 300; i++)
        {
            engine.Process(bot.Build("Customer message:\n" + Corpus.SupportQuestion(random) + "\nReply politely.", system: "You are Acme's support assistant."));
            engine.Process(generator.Build(Corpus.SelfInstruct(random)));
        }
        var botTemplate = Signal(engine, "org-bot", TemplateReuseSignal.Name);
        var generatorTemplate = Signal(engine, "org-gen", TemplateReuseSignal.Name);

        Assert.True((double)botTemplate.Details["template_reuse_ratio"] > 0.9, "the support bot reuses its template");
        Assert.True((double)generatorTemplate.Details["template_reuse_ratio"] > 0.9, "the generator reuses its template");
        Assert.True((double)botTemplate.Details["slot_recurrence"] < 0.1, "customer questions are fresh");
        Assert.True((double)generatorTemplate.Details["slot_recurrence"] > 0.5, "seed tasks come from a small pool");
        Assert.True(generatorTemplate.Value > 0.5 && botTemplate.Value < 0.1);
    }

    [Theory]
    [InlineData("You are asked to come up with a set of 20 diverse task instructions. These task instructions will be given to a GPT model.")]
    [InlineData("Please brainstorm 15 varied instructions that an AI assistant could be asked to carry out, each with an input and an output.")]
    [InlineData("Produce a list of 30 new questions a user might ask a chatbot. Make them diverse; vary the verbs.")]
    public void InstructionGenerationCue_MetaPrompts_Hit(string prompt) =>
        Assert.True(InstructionGenerationCue.Score(prompt) >= InstructionGenerationCue.HitThreshold);

    [Theory]
    [InlineData("Can you give me five ideas for a birthday party for my daughter?")]
    [InlineData("What is the difference between interpreted and compiled languages?")]
    [InlineData("Write a cover letter for a junior accountant position.")]
    public void InstructionGenerationCue_OrdinaryRequests_Miss(string prompt) =>
        Assert.True(InstructionGenerationCue.Score(prompt) < InstructionGenerationCue.HitThreshold);

    [Theory]
    [InlineData("Think step by step and show all of your reasoning before giving the final answer.")]
    [InlineData("Walk through your complete thought process, then answer.")]
    [InlineData("Output your reasoning inside <think> tags.")]
    public void ReasoningElicitationCue_CotPrompts_Hit(string prompt) =>
        Assert.True(ReasoningElicitationCue.Score(prompt, null) >= ReasoningElicitationCue.HitThreshold);

    [Fact]
    public void BenchmarkStyleCue_UnseenWordProblemsAndCodeTasks_AreRecognised()
    {
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(BenchmarkStyle.MathWordProblem, BenchmarkStyleCue.Classify(Corpus.WordProblem(random)).Style);
            Assert.True(BenchmarkStyleCue.Classify(Corpus.WordProblem(random)).Score >= BenchmarkStyleCue.HitThreshold);
        }
        const string code = "def running_max(values: list[int]) -> list[int]:\n    \"\"\"Return the running maximum.\n    >>> running_max([1, 3, 2])\n    [1, 3, 3]\n    \"\"\"\n";
        Assert.Equal((BenchmarkStyle.CodeCompletion, 1.0), BenchmarkStyleCue.Classify(code));
        const string mcq = "Which gas do plants absorb?\nA) Oxygen\nB) Carbon dioxide\nC) Nitrogen\nD) Helium\nAnswer:";
        Assert.Equal(BenchmarkStyle.MultipleChoice, BenchmarkStyleCue.Classify(mcq).Style);
        Assert.True(BenchmarkStyleCue.Classify("How do I get my toddler to sleep through the night? I've tried everything.").Score < BenchmarkStyleCue.HitThreshold);
    }

    [Fact]
    public void BenchmarkIndex_TemplatedCopy_MatchesItem_AndSurvivesSaveLoad()
    {
        var index = new BenchmarkIndex();
        var item = "Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?";
        index.Add("gsm8k-train-0001", item);
        index.Add("other", "A completely unrelated item about the history of the Roman empire and its many emperors over centuries.");
        using var stream = new MemoryStream();
        index.Save(stream);
        stream.Position = 0;
        var loaded = BenchmarkIndex.Load(stream);
        var tokens = new List<ulong>();
        Moat.Detection.Text.WordTokenizer.Tokenize("Q: " + item + "\nA:", tokens, maskNumbers: false);

        Assert.Equal("gsm8k-train-0001", loaded.Find(Moat.Detection.Sketches.MinHashSignature.FromTokens(tokens))?.ItemId);
    }

    [Fact]
    public void InterArrivalRegularity_FixedRateLoop_IsRegular_PeopleAreNot()
    {
        var loop = new InterArrivalRegularity();
        var person = new InterArrivalRegularity();
        var random = new Random(5);
        var at = DateTimeOffset.UnixEpoch;
        var personAt = at;
        for (var i = 0; i < 100; i++)
        {
            loop.Observe(at += TimeSpan.FromSeconds(2 + random.NextDouble() * 0.1));
            personAt += TimeSpan.FromSeconds(40 * Math.Exp(1.0 * Gaussian(random)));
            person.Observe(personAt);
        }
        Assert.True(loop.Value > 0.9);
        Assert.Equal(0, person.Value);
    }

    [Fact]
    public void QuotaSaturation_SustainedCap_Saturates_ShortBurstDoesNot()
    {
        var sustained = new QuotaSaturation();
        var burst = new QuotaSaturation();
        var at = DateTimeOffset.UnixEpoch;
        for (var minute = 0; minute < 60; minute++)
        {
            sustained.Observe(at.AddMinutes(minute), 1000, 20);
            burst.Observe(at.AddMinutes(minute), 1000, minute < 3 ? 20 : 800);
        }
        Assert.True(sustained.Value > 0.9);
        Assert.True(burst.Value < 0.01);
    }

    [Fact]
    public void ReleaseSurge_TrafficJumpsOntoNewModel_IsSeen()
    {
        var release = new DateTimeOffset(2025, 1, 6, 12, 0, 0, TimeSpan.Zero);
        var surge = new ReleaseSurge([("moat-large-2", release)]);
        for (var i = 0; i < 20; i++)
        {
            surge.Observe("moat-large-1", release.AddDays(-3).AddMinutes(i * 30));
        }
        for (var i = 0; i < 2000; i++)
        {
            surge.Observe("moat-large-2", release.AddSeconds(i * 10));
        }
        Assert.True(surge.Value > 0.9);
    }

    [Fact]
    public void OutputMaximisingParameters_NAndLogprobsAndCap_Count()
    {
        var engine = DetectionEngine.Create();
        var features = new FeatureBuilder("org-max");
        for (var i = 0; i < 50; i++)
        {
            engine.Process(features.Build(Corpus.Questions[i % 5], n: 4, temperature: 1.0, maxTokens: 8192, logprobs: true));
        }
        Assert.Equal(1.0, Signal(engine, "org-max", OutputMaximisingParameters.Name).Value);
    }

    private static Moat.Detection.Scoring.RiskSignal Signal(DetectionEngine engine, string orgId, string name) =>
        engine.Scorer.Get(orgId)!.Signals.Single(s => s.Name == name);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
