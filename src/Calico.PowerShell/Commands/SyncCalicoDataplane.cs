using System.Management.Automation;
using System.Threading.Channels;
using Calico.Dataplane.Host;
using Calico.Dataplane.Reconcile;
using Calico.Datastore;
using Calico.Ipam;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Makes this host's kernel match its Calico plan, as felix does: the tunnel device (tunl0 or vxlan.calico), Calico's
/// routes (and only Calico's), VXLAN neighbours and forwarding entries, blackholes for local blocks, and the natOutgoing
/// nftables table. Writes one object per change; a second run changes nothing. -Watch keeps the host in sync.
/// </summary>
[Cmdlet(VerbsData.Sync, "CalicoDataplane", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataplaneChange))]
public sealed class SyncCalicoDataplaneCommand : HostCmdlet
{


    /// <summary>Keeps syncing as the datastore changes, until Ctrl+C.</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>With -Watch, how often to resync in full even when nothing changed (felix resyncs periodically too).</summary>
    [Parameter]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>With -Watch, how long the datastore must be quiet before a change is synced, so a burst syncs once.</summary>
    [Parameter]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(250);

    protected override void ProcessRecord()
    {
        var name = NodeName;
        var host = HostDataplane();
        if (!Watch)
        {
            SyncOnce(host, name);
            return;
        }
        WatchAndSync(host, name);
    }

    /// <returns>False when the sync failed (the error has been written).</returns>
    private bool SyncOnce(HostDataplane host, string name)
    {
        try
        {
            var diff = Run(ct => host.DiffAsync(ct));
            foreach (var warning in diff.Warnings) WriteWarning($"{name}: {warning}");
            if (diff.IsEmpty)
            {
                WriteVerbose($"{name}: the kernel already matches the plan.");
                return true;
            }
            // One question per change, so -WhatIf prints the exact difference; the changes are applied together or not at all.
            var approved = diff.Changes.Count(c => ShouldProcess($"{c.Description}{(c.Reason is null ? "" : $" ({c.Reason})")}", $"{c.Description}?", $"Sync {name}"));
            if (approved == 0) return true;
            if (approved < diff.Changes.Count)
            {
                WriteWarning($"{name}: {diff.Changes.Count - approved} of {diff.Changes.Count} changes declined; a sync is applied whole, so nothing was changed.");
                return true;
            }
            foreach (var change in host.Apply(diff)) WriteObject(change);
            return true;
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, name);
            return false;
        }
    }

    private void WatchAndSync(HostDataplane host, string name)
    {
        var signals = Channel.CreateUnbounded<string>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        var watchers = new[]
        {
            Follow(() => Client.Resources.WatchAsync<IPPool>(cancellationToken: watching.Token), "IP pools", signals.Writer, watching.Token),
            Follow(() => Client.Resources.WatchAsync<Node>(cancellationToken: watching.Token), "nodes", signals.Writer, watching.Token),
            Follow(() => Client.Store.WatchAsync(IpamKeys.Root + "assignment/", 0, watching.Token), "IPAM blocks", signals.Writer, watching.Token),
        };
        var progress = new ProgressRecord(1, $"Sync-CalicoDataplane -Watch ({name})", "Watching the datastore; Ctrl+C stops");
        try
        {
            var nextResync = DateTime.UtcNow;
            while (!CancellationToken.IsCancellationRequested)
            {
                var reasons = WaitForWork(signals.Reader, nextResync - DateTime.UtcNow);
                if (CancellationToken.IsCancellationRequested) break;
                var why = reasons.Count == 0 ? "periodic resync" : "changed: " + string.Join(", ", reasons.Distinct());
                progress.StatusDescription = $"Syncing ({why})";
                WriteProgress(progress);
                WriteVerbose($"{DateTime.Now:T} {name}: syncing ({why}).");
                SyncOnce(host, name);
                nextResync = DateTime.UtcNow + ResyncInterval;
                progress.StatusDescription = $"In sync at {DateTime.Now:T}; watching the datastore; Ctrl+C stops";
                WriteProgress(progress);
            }
        }
        finally
        {
            watching.Cancel();
            try { Task.WaitAll(watchers); } catch (AggregateException) { }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    // Blocks until something changed and then stayed quiet for Debounce, or the resync time comes; returns what changed.
    private List<string> WaitForWork(ChannelReader<string> signals, TimeSpan untilResync)
    {
        var reasons = new List<string>();
        try
        {
            if (untilResync > TimeSpan.Zero)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
                wait.CancelAfter(untilResync);
                reasons.Add(signals.ReadAsync(wait.Token).AsTask().GetAwaiter().GetResult());
            }
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
                quiet.CancelAfter(Debounce);
                reasons.Add(signals.ReadAsync(quiet.Token).AsTask().GetAwaiter().GetResult());
            }
        }
        catch (OperationCanceledException)
        {
            return reasons;
        }
    }

    // Follows one watch, restarting it after a failure (the periodic resync covers what was missed meanwhile).
    private static Task Follow<T>(Func<IAsyncEnumerable<T>> watch, string what, ChannelWriter<string> signals, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var _ in watch().WithCancellation(cancellationToken).ConfigureAwait(false))
                        signals.TryWrite(what);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (DatastoreException)
                {
                    // Unreachable or compacted: resync in full once the watch is back.
                    signals.TryWrite(what + " (watch restarted)");
                    try { await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                }
            }
        }, cancellationToken);
}
