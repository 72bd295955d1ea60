namespace Hypha.Bench.Harness;

/// <summary>One measured figure; the JSON report is an array of these.</summary>
/// <param name="Scenario">The scenario that produced it (<c>codec</c>, <c>rpc</c>, ...).</param>
/// <param name="Case">The peer and variant measured, <c>case/size</c> when run at several sizes.</param>
/// <param name="Metric">One of the names in <see cref="Metrics"/>.</param>
/// <param name="Value">The figure, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of <paramref name="Value"/>.</param>
internal sealed record ResultRow(string Scenario, string Case, string Metric, double Value, string Unit);
