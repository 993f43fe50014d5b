namespace Kefu.Service.Diagnostics;

/// <summary>
/// The stages of a turn, as the <c>stage</c> label of <c>kefu.stage.duration</c> and the span names
/// (<c>kefu.</c> + stage). Stages nest: <see cref="Route"/> includes <see cref="Search"/>, <see cref="Respond"/>
/// includes <see cref="Tool"/> and <see cref="Model"/>.
/// </summary>
public static class StageNames
{
    public const string InputGuard = "input_guard";
    public const string Route = "route";
    public const string Search = "search";
    public const string Respond = "respond";
    public const string Tool = "tool";
    public const string Model = "model";
    public const string OutputGuard = "output_guard";
    public const string Handoff = "handoff";
}
