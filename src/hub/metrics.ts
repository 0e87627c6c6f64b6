// The hub's counters, exposed at GET /metrics in Prometheus' text format. Hand-written because
// a handful of counters does not warrant a client library.
import type { RefusalReason } from '../shared/sync';
import type { CommitStats } from './group-commit';
import { LatencyHistogram, type LatencySnapshot, type StoreStats } from './pg/stats';

/** Why the hub closed a socket or connection on its own. */
export type CloseReason =
  | 'upgrade-timeout'
  | 'address-limit'
  | 'waiting-updates'
  | 'internal-error'
  | 'too-slow'
  | 'no-pong';

/** Why a presence (awareness) entry was not forwarded. */
export type PresenceDropReason = 'client-id-taken' | 'other-member' | 'too-many-clients';

export class HubMetrics {
  /** Fetches by sequence number of updates other hubs stored. */
  catchUpFetches = 0;
  /** Other hubs' commits applied from the updates their announcements carried. */
  carriedCommits = 0;
  /** From another hub's commit to its update reaching this hub's members, in ms. */
  readonly crossHubLag = new LatencyHistogram();
  /** How long each commit (a group of updates) took. */
  readonly commitLatency = new LatencyHistogram();
  connections = 0;
  /** TCP sockets open, upgraded or not. */
  sockets = 0;
  messages = 0;
  updates = 0;
  updateBytes = 0;
  protocolErrors = 0;
  readerUpdatesDropped = 0;
  /** Whole-document encodings made to answer sync requests. */
  stateEncodes = 0;
  syncRequestsDropped = 0;
  /** Bytes of updates held until the changes they build on arrive. */
  waitingBytes = 0;
  readonly rejected = new Map<RefusalReason, number>();
  readonly closed = new Map<CloseReason, number>();
  readonly presenceDropped = new Map<PresenceDropReason, number>();

  reject(reason: RefusalReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  close(reason: CloseReason): void {
    this.closed.set(reason, (this.closed.get(reason) ?? 0) + 1);
  }

  dropPresence(reason: PresenceDropReason): void {
    this.presenceDropped.set(reason, (this.presenceDropped.get(reason) ?? 0) + 1);
  }

  render(rooms: number, commits: CommitStats, cluster: StoreStats | null): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const histogram = (name: string, help: string, latency: LatencySnapshot) => {
      const buckets = latency.buckets.map(([bound, n]): [string, number] => {
        const le = bound === Infinity ? '+Inf' : String(bound / 1000);
        return [`_bucket{le="${le}"}`, n];
      });
      metric(name, 'histogram', help, [
        ...buckets,
        ['_sum', latency.sumMs / 1000],
        ['_count', latency.count],
      ]);
    };
    const one = (value: number): [string, number][] => [['', value]];
    const byReason = (counts: Map<string, number>): [string, number][] =>
      [...counts].map(([reason, n]) => [`{reason="${reason}"}`, n]);
    metric('curio_hub_rooms', 'gauge', 'Rooms loaded in memory.', one(rooms));
    metric('curio_hub_connections', 'gauge', 'Open client connections.', one(this.connections));
    metric('curio_hub_sockets', 'gauge', 'Open TCP sockets, upgraded or not.', one(this.sockets));
    metric(
      'curio_hub_messages_total',
      'counter',
      'Messages received from clients.',
      one(this.messages),
    );
    metric(
      'curio_hub_updates_total',
      'counter',
      'Document updates stored and broadcast.',
      one(this.updates),
    );
    metric(
      'curio_hub_update_bytes_total',
      'counter',
      'Bytes of document updates stored.',
      one(this.updateBytes),
    );
    metric(
      'curio_hub_protocol_errors_total',
      'counter',
      'Connections closed for malformed or oversized messages.',
      one(this.protocolErrors),
    );
    metric(
      'curio_hub_reader_updates_dropped_total',
      'counter',
      'Updates sent by read-only members and dropped.',
      one(this.readerUpdatesDropped),
    );
    metric(
      'curio_hub_sync_state_encodes_total',
      'counter',
      'Document encodings made to answer sync requests (the rest come from cache).',
      one(this.stateEncodes),
    );
    metric(
      'curio_hub_sync_requests_dropped_total',
      'counter',
      'Sync and presence requests over a connection’s rate limit, left unanswered.',
      one(this.syncRequestsDropped),
    );
    metric(
      'curio_hub_waiting_update_bytes',
      'gauge',
      'Bytes of updates held until the changes they build on arrive.',
      one(this.waitingBytes),
    );
    metric(
      'curio_hub_rejected_connections_total',
      'counter',
      'Connections refused at the HTTP upgrade, by reason.',
      byReason(this.rejected),
    );
    metric(
      'curio_hub_closed_connections_total',
      'counter',
      'Sockets and connections the hub closed on its own, by reason.',
      byReason(this.closed),
    );
    metric(
      'curio_hub_presence_entries_dropped_total',
      'counter',
      'Presence entries not forwarded, by reason.',
      byReason(this.presenceDropped),
    );
    metric('curio_hub_commits_total', 'counter', 'Commits (groups of updates).', [
      ['', commits.commits],
    ]);
    metric('curio_hub_committed_updates_total', 'counter', 'Updates committed in them.', [
      ['', commits.updates],
    ]);
    histogram(
      'curio_hub_store_commit_seconds',
      'Time for the store to make one group of updates durable.',
      this.commitLatency.snapshot(),
    );
    if (cluster) this.renderCluster(metric, histogram, cluster);
    return lines.join('\n') + '\n';
  }

  private renderCluster(
    metric: (name: string, type: string, help: string, samples: [string, number][]) => void,
    histogram: (name: string, help: string, latency: LatencySnapshot) => void,
    cluster: StoreStats,
  ): void {
    const one = (value: number): [string, number][] => [['', value]];
    metric(
      'curio_hub_cluster_listening',
      'gauge',
      '1 while this hub hears other hubs’ commits.',
      one(cluster.listening ? 1 : 0),
    );
    metric(
      'curio_hub_cluster_notifications_total',
      'counter',
      'Announcements of other hubs’ commits heard.',
      one(cluster.notifications),
    );
    metric(
      'curio_hub_cluster_listener_reconnects_total',
      'counter',
      'Times the listening connection was replaced.',
      one(cluster.reconnects),
    );
    metric(
      'curio_hub_cluster_catch_up_fetches_total',
      'counter',
      'Fetches by sequence number that brought other hubs’ updates.',
      one(this.catchUpFetches),
    );
    metric(
      'curio_hub_cluster_carried_commits_total',
      'counter',
      'Other hubs’ commits applied from their announcements, without a fetch.',
      one(this.carriedCommits),
    );
    metric(
      'curio_hub_store_commit_failures_total',
      'counter',
      'Commits PostgreSQL refused or lost; none of their updates was confirmed.',
      one(cluster.commitFailures),
    );
    histogram(
      'curio_hub_cross_hub_lag_seconds',
      'From another hub’s commit (by the database’s clock) to its update reaching members here.',
      this.crossHubLag.snapshot(),
    );
  }
}
