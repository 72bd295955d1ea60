// Entry point: dotnet run -c Release --project bench/Hypha.Bench -- <scenario> [--quick] [--json out.json]
return Hypha.Bench.BenchApp.Run(args, Console.Out, Console.Error);
