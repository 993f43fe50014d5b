using Kefu.Safety.Pii;
using Kefu.Data.Records;

namespace Kefu.Data.Validation;

/// <summary>A record that nearly duplicates an earlier one; a build keeps <paramref name="Kept"/> and drops <paramref name="Duplicate"/>.</summary>
public sealed record DuplicateFinding(DataRecord Kept, DataRecord Duplicate, double Jaccard);

/// <summary>One item of an evaluation set: where it is and what the customer says in it.</summary>
public sealed record EvalItem(string Location, string UserText);

/// <summary>A training record whose customer text nearly duplicates an evaluation item.</summary>
public sealed record LeakageFinding(DataRecord Train, EvalItem Eval, double Jaccard);

/// <summary>Personal data found in a record's turn.</summary>
public sealed record PiiFinding(DataRecord Record, int TurnIndex, PiiMatch Match)
{
    /// <summary>The turn as a field name for diagnostics, e.g. <c>turns[2] (user)</c>.</summary>
    public string Field => $"turns[{TurnIndex}] ({Record.Turns[TurnIndex].Role})";
}
