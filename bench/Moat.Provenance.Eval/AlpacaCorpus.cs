using System.Text.Json;
using Moat.Provenance;

namespace Moat.Provenance.Eval;

/// <summary>
/// AlpacaEval answers of four models plus Alpaca's text-davinci-003 outputs, spread over simulated organisations and
/// keys (one served model per account group); the other four AlpacaEval models' answers are never served.
/// Instructions are split in two: dev (tuning) and test (reporting).
/// </summary>
/// <remarks>
/// With <c>holdOut</c>, a share of the instructions (by another bit of the id hash) is served to nobody: every model's
/// answer to them, and the held-back Alpaca outputs, join the never-served pool as extra negatives (<see cref="UnservedRecord.SameInstructionServed"/> false).
/// With <c>singleServed</c>, each AlpacaEval instruction is served from one model only (chosen by the id hash), as in a
/// deployment where one account asked a question: no other account's answer to it is in the index to discount a
/// never-served answer against (the rival discount cannot help), and the other served models' answers to it join the
/// never-served pool.
/// </remarks>
public sealed class AlpacaCorpus(string dataDirectory, int organisations = 120, int seed = 20250301, bool holdOut = false, bool withPrompts = true, bool singleServed = false) : IServedCorpus
{
    public static readonly string[] ServedGenerators = ["gpt4_1106_preview", "claude-2", "Mixtral-8x7B-Instruct-v0.1", "Qwen1.5-72B-Chat", "text-davinci-003"];
    public static readonly string[] UnservedGenerators = ["llama-2-70b-chat-hf", "zephyr-7b-beta", "vicuna-13b-v1.5", "gemini-pro"];

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UtcNow.Date.AddDays(-90);

    public IEnumerable<ServedRecord> Served()
    {
        var random = new Random(seed);
        var groups = ServedGenerators.Length;
        var keysPerOrg = new int[organisations];
        for (var o = 0; o < organisations; o++) keysPerOrg[o] = 1 + random.Next(3);

        var n = 0;
        foreach (var (id, generator, text, prompt) in Records())
        {
            var group = Array.IndexOf(ServedGenerators, generator);
            if (group < 0) continue;
            if (holdOut && IsHeldOut(id)) continue;
            if (singleServed && !IsServedFrom(id, generator)) continue;
            // Orgs o with o % groups == group harvest that model; each request goes out on one of the org's keys.
            var org = group + groups * random.Next(organisations / groups);
            var key = random.Next(keysPerOrg[org]);
            var servedAt = Epoch.AddSeconds(random.Next(90 * 24 * 3600));
            var served = new ServedText($"org_{org:D4}", $"key_{org:D4}_{key}", $"req_{n++:D7}", generator, servedAt, text) { Prompt = withPrompts ? prompt : null };
            yield return new ServedRecord(served, id, generator, IsDev(id));
        }
    }

    public IEnumerable<UnservedRecord> NeverServed()
    {
        foreach (var (id, generator, text, _) in Records())
        {
            if (holdOut && IsHeldOut(id)) yield return new UnservedRecord(text, id, generator, IsDev(id), SameInstructionServed: false);
            else if (Array.IndexOf(UnservedGenerators, generator) >= 0 || (singleServed && !IsServedFrom(id, generator)))
            {
                yield return new UnservedRecord(text, id, generator, IsDev(id));
            }
        }
    }

    /// <summary>In single-served mode, the one served model whose answer to an AlpacaEval instruction is indexed.</summary>
    private static bool IsServedFrom(string sourceId, string generator) =>
        generator == "text-davinci-003" || Array.IndexOf(ServedGenerators, generator) == (int)((StableHash(sourceId) >> 3) % 4);

    /// <summary>A quarter of the instructions (hash bits 1–2 both set; bit 0 is the dev/test split) when holding out.</summary>
    public static bool IsHeldOut(string sourceId) => ((StableHash(sourceId) >> 1) & 3) == 3;

    /// <summary>Dev holds the instructions with an even id hash; tuning looks only at those.</summary>
    public static bool IsDev(string sourceId) => (StableHash(sourceId) & 1) == 0;

    private static uint StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return h;
    }

    /// <summary>Every answer with the prompt it answered: the instruction, plus the input where Alpaca has one.</summary>
    private IEnumerable<(string Id, string Generator, string Text, string Prompt)> Records()
    {
        foreach (var line in File.ReadLines(Path.Combine(dataDirectory, "outputs", "alpaca_eval_dev.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            yield return (r.GetProperty("id").GetString()!, r.GetProperty("generator").GetString()!, r.GetProperty("output").GetString()!, r.GetProperty("instruction").GetString()!);
        }

        foreach (var line in File.ReadLines(Path.Combine(dataDirectory, "outputs", "alpaca_outputs_dev.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var input = r.GetProperty("input").GetString();
            var prompt = r.GetProperty("instruction").GetString()! + (string.IsNullOrEmpty(input) ? "" : "\n\n" + input);
            yield return (r.GetProperty("id").GetString()!, "text-davinci-003", r.GetProperty("output").GetString()!, prompt);
        }
    }
}
