namespace Kefu.Safety.Guards;

/// <summary>Checks a customer message before it reaches the model.</summary>
public interface IInputGuard
{
    GuardVerdict Check(string message);
}
