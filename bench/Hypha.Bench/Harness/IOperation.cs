namespace Hypha.Bench.Harness;

/// <summary>
/// One benchmarked operation. Implement it on a struct so that <see cref="Meter"/>'s loop is specialised for it
/// (no delegate or interface dispatch in the timed loop), and mark <see cref="Invoke"/> with
/// <c>[MethodImpl(MethodImplOptions.NoInlining)]</c> so the JIT cannot merge iterations or drop the work.
/// </summary>
internal interface IOperation
{
    /// <summary>Runs the operation once and returns a value derived from its result, which the meter consumes.</summary>
    long Invoke();
}
