using System.Data.Common;
using Kefu.Storage.Postgres;
using Microsoft.AspNetCore.Diagnostics;

namespace Kefu.Server.Hosting;

/// <summary>
/// Answers a request that failed because the database is out of reach (restarting, failing over, connection lost)
/// with 503 and a Retry-After, as problem+json, instead of a 500: the client should simply try again. Nothing of the
/// turn was stored (each turn is written in one transaction), so a retry cannot duplicate it.
/// </summary>
internal sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (FindDatabaseError(exception) is not { } error || !PostgresDatabase.IsUnavailable(error))
            return false;
        LogUnavailable(error.GetType().Name, error.SqlState, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "2";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = "The conversation store cannot be reached right now; nothing was saved. Retry shortly.",
            },
        }).ConfigureAwait(false);
    }

    private static DbException? FindDatabaseError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException database)
                return database;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({Error}, SQLSTATE {SqlState}) for {Path}: answered 503")]
    private partial void LogUnavailable(string error, string? sqlState, PathString path);
}
