using System.Net.Http.Json;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Detection;

/// <summary>Builds and sends the traffic of a test tenant: GSM8K-style harvesting or varied human questions.</summary>
public sealed class TenantTraffic(MoatTestHost host, Customer customer, int seed) : IDisposable
{
    private static readonly string[] Names = ["Natalia", "Weng", "Betty", "Julie", "James", "Albert", "Mark", "Tina", "Ken", "Alexis", "Randy", "Joy"];
    private static readonly string[] Items = ["cupcakes", "pencils", "apples", "marbles", "books", "stickers", "cookies", "toy cars"];

    private static readonly string[] Questions =
    [
        "What's a good name for a grey rescue cat who is very shy?",
        "Can you help me write a short birthday message for my grandmother?",
        "Why does bread go stale faster in the fridge?",
        "Is it okay to plant tulip bulbs in December if the ground isn't frozen yet?",
        "Summarise the plot of Pride and Prejudice in a couple of sentences.",
        "How do I politely decline a wedding invitation from a coworker?",
        "What is the difference between a latte and a flat white?",
        "Recommend three podcasts about the history of science.",
        "My sourdough starter smells like nail polish. Is it ruined?",
        "Translate 'where is the train station' into Portuguese.",
        "Give me ideas for a rainy-day activity with two kids under six.",
        "What should I pack for a weekend hiking trip in the Lake District?",
        "How can I stop my laptop fan from being so loud?",
        "Write a haiku about the first snow of the year.",
        "What does it mean when a car's battery light comes on while driving?",
        "Any tips for remembering people's names at networking events?",
        "Which houseplants are safe for cats?",
        "Draft a friendly reminder email about an unpaid invoice.",
        "Why is the sky red at sunset?",
        "What are some vegetarian dinners that freeze well?",
        "How do I get candle wax out of a tablecloth?",
        "Suggest a title for my blog post about learning to swim at forty.",
        "Is it rude to recline your seat on a short flight?",
        "What's the best way to store fresh basil?",
        "Could you explain what an index fund is in plain words?",
        "How long should I let a steak rest after grilling?",
        "Help me come up with a toast for my brother's retirement party.",
        "What are the rules of pétanque?",
        "My tomato leaves are turning yellow from the bottom up. What's wrong?",
        "Write a two-line poem for a card welcoming a new neighbour.",
    ];

    private static readonly string[] FollowUps = ["Thanks! Can you make it shorter?", "Could you give me another option?", "What if I only have an hour?"];

    private readonly Random _random = new(seed);
    private readonly HttpClient _http = host.Http(customer.Secret);

    /// <summary>A grade-school word problem with a request to show the reasoning, as a CoT harvester of GSM8K sends.</summary>
    public Task<HttpResponseMessage> SendWordProblemAsync()
    {
        var a = Names[_random.Next(Names.Length)];
        var b = Names[_random.Next(Names.Length)];
        var item = Items[_random.Next(Items.Length)];
        var (x, y, z) = (_random.Next(3, 90), _random.Next(2, 12), _random.Next(2, 9));
        var problem = _random.Next(4) switch
        {
            0 => $"{a} baked {x} {item} for the school fair and sold them for ${y} each. {b} bought {z} of them. How much money did {a} make in total?",
            1 => $"{a} has {x} {item}. {b} gives {a} {y} more, and then {a} shares them equally among {z} friends. How many {item} does each friend get?",
            2 => $"A store sells {item} in packs of {y}. {a} needs {x} {item} for a party. How many packs does {a} need to buy, and how many {item} will be left over?",
            _ => $"{a} earns ${x} per week walking dogs and spends ${y} of it on snacks. How many weeks will it take {a} to save ${x * z} for a new bike?",
        };
        return SendAsync("Solve the following math problem. Show your reasoning step by step, then give the final answer.", [problem]);
    }

    /// <summary>An everyday question from a person, sometimes with a follow-up turn.</summary>
    public Task<HttpResponseMessage> SendHumanQuestionAsync()
    {
        var question = Questions[_random.Next(Questions.Length)];
        return _random.Next(3) == 0
            ? SendAsync(null, [question, "Sure, here are a few thoughts.", FollowUps[_random.Next(FollowUps.Length)]])
            : SendAsync(null, [question]);
    }

    private Task<HttpResponseMessage> SendAsync(string? system, IReadOnlyList<string> turns)
    {
        var messages = new List<object>();
        if (system is not null)
        {
            messages.Add(new { role = "system", content = system });
        }
        for (var i = 0; i < turns.Count; i++)
        {
            messages.Add(new { role = i % 2 == 0 ? "user" : "assistant", content = turns[i] });
        }
        return _http.PostAsJsonAsync("/v1/chat/completions", new { model = MoatTestHost.Model, messages, max_tokens = 200 });
    }

    public void Dispose() => _http.Dispose();
}
