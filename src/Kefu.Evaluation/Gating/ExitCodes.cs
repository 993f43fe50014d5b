namespace Kefu.Evaluation.Gating;

/// <summary>
/// Exit codes of <c>kefu eval</c> and <c>kefu learn</c>, for CI and cron: 0 passed; 1 error (bad input, server down);
/// 2 below a gate (eval) or candidate refused by the gate (learn); 3 nothing to do (learn: no new approved data).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int GateFailed = 2;
    public const int NothingToDo = 3;
}
