using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Moat.Functional.Tests.Infrastructure;

/// <summary>Keeps every log entry at Warning or above a host writes, so tests can assert what reached the log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public IEnumerable<string> ErrorsAndAbove =>
        Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}");

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
