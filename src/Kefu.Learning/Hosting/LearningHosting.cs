using Kefu.Learning.Evaluating;
using Kefu.Learning.Training;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Kefu.Training.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Learning.Hosting;

/// <summary>Turns on the daily learning job of a server from a learn.json.</summary>
public static class LearningHosting
{
    /// <summary>
    /// Sets <see cref="KefuServerOptions.DailyLearningJob"/>: at <c>daily_at</c> (in <c>utc_offset</c>) the server runs
    /// the loop on its own conversation log — the registered <see cref="IConversationLogReader"/> when the store
    /// provides one (a shared database), else its sessions.db. Paths in the config are checked now, not at 03:00.
    /// </summary>
    public static void Configure(KefuServerOptions options, LearningConfig config)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        DailySchedule schedule;
        try
        {
            schedule = DailySchedule.Parse(config.DailyAt, config.UtcOffset);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("learn.json: " + e.Message, e);
        }
        var model = config.ResolveOptional(config.Model) ?? throw new ArgumentException("learn.json: field model: needed to train and evaluate.");
        var regression = config.ResolveOptional(config.Regression) ?? throw new ArgumentException("learn.json: field regression: needed for the gate.");
        if (!Directory.Exists(model))
            throw new ArgumentException($"learn.json: field model: folder {model} not found.");
        var recipe = config.ResolveOptional(config.Recipe) is { } recipePath ? TrainingRecipe.Load(recipePath) : null;
        var dataDirectory = options.DataDirectory;
        options.DailyLearningJob = sp =>
        {
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            return new DailyLearningJob(cancellationToken =>
            {
                var log = sp.GetService<IConversationLogReader>() ?? SqliteConversationLogReader.Open(Path.Combine(dataDirectory, "sessions.db"));
                var pipeline = new LearningPipeline(config, log, new AdapterContinuation(model, recipe, time),
                    new RegressionAdapterEvaluator(model, regression, config.ResolveOptional(config.Samples), config.MaxNewTokens), time, sp.GetService<ISessionStore>());
                return pipeline.RunAsync(cancellationToken);
            }, schedule, time, sp.GetRequiredService<ILogger<DailyLearningJob>>());
        };
    }
}
