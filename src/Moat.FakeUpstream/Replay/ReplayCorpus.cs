using System.Text.Json;

namespace Moat.FakeUpstream.Replay;

/// <summary>
/// Recorded answers keyed by prompt: a record answers its <c>instruction</c>, or
/// <c>instruction + "\n\n" + input</c> when it has an input. The first record for a prompt
/// wins unless a generator filter picks one model's answers.
/// </summary>
internal sealed class ReplayCorpus
{
    // alpaca_outputs marks "no input" with this placeholder rather than an empty string.
    private const string NoInputPlaceholder = "<no input>";

    private readonly Dictionary<string, string> _outputs;

    private ReplayCorpus(Dictionary<string, string> outputs) => _outputs = outputs;

    public int Count => _outputs.Count;

    public static ReplayCorpus Load(string path, string? generator)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var record = JsonDocument.Parse(line);
                var root = record.RootElement;
                var instruction = StringField(root, "instruction");
                var output = StringField(root, "output");
                if (instruction is null || output is null)
                {
                    continue;
                }

                if (generator is not null && StringField(root, "generator") != generator)
                {
                    continue;
                }

                outputs.TryAdd(Key(instruction, StringField(root, "input")), output);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Replay file '{path}' line {lineNumber} is not JSON: {e.Message}", e);
            }
        }

        return new ReplayCorpus(outputs);
    }

    public string? Find(string prompt) => _outputs.GetValueOrDefault(prompt.Trim());

    private static string Key(string instruction, string? input) =>
        string.IsNullOrWhiteSpace(input) || input.Trim() == NoInputPlaceholder
            ? instruction.Trim()
            : (instruction + "\n\n" + input).Trim();

    private static string? StringField(JsonElement record, string name) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
