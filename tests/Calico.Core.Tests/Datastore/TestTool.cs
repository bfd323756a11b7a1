using System.Collections.Concurrent;
using System.Diagnostics;

namespace Calico.Tests.Datastore;

/// <summary>Runs Calico.TestTools (built beside the tests) as a child process.</summary>
public sealed class TestTool : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();

    private TestTool(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Calico.TestTools.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _lines.Enqueue(e.Data);
            if (e.Data == "ready") _ready.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static TestTool Start(params string[] args) => new(args);

    public IReadOnlyCollection<string> Lines => _lines;

    public string Errors { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Waits for the child to print "ready".</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_ready.Task, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (done != _ready.Task) throw new InvalidOperationException($"the test tool did not get ready (exited: {_process.HasExited}): {Errors}");
    }

    /// <summary>Waits for the child to finish and returns its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no finally block, no flush, exactly what a crash or the OOM killer does.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
