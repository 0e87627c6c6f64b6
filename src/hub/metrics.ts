// The hub's counters, exposed at GET /metrics in Prometheus' text format. Hand-written because
// a handful of counters does not warrant a client library.

export type RejectReason =
  | 'no-token'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'revoked'
  | 'other-collection'
  | 'bad-room';

export class HubMetrics {
  connections = 0;
  messages = 0;
  updates = 0;
  updateBytes = 0;
  protocolErrors = 0;
  readerUpdatesDropped = 0;
  readonly rejected = new Map<RejectReason, number>();

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  render(rooms: number): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('curio_hub_rooms', 'gauge', 'Rooms loaded in memory.', [['', rooms]]);
    metric('curio_hub_connections', 'gauge', 'Open client connections.', [['', this.connections]]);
    metric('curio_hub_messages_total', 'counter', 'Messages received from clients.', [
      ['', this.messages],
    ]);
    metric('curio_hub_updates_total', 'counter', 'Document updates stored and broadcast.', [
      ['', this.updates],
    ]);
    metric('curio_hub_update_bytes_total', 'counter', 'Bytes of document updates stored.', [
      ['', this.updateBytes],
    ]);
    metric(
      'curio_hub_protocol_errors_total',
      'counter',
      'Connections closed for malformed or oversized messages.',
      [['', this.protocolErrors]],
    );
    metric(
      'curio_hub_reader_updates_dropped_total',
      'counter',
      'Updates sent by read-only members and dropped.',
      [['', this.readerUpdatesDropped]],
    );
    metric(
      'curio_hub_rejected_connections_total',
      'counter',
      'Connections refused at the HTTP upgrade, by reason.',
      [...this.rejected].map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    return lines.join('\n') + '\n';
  }
}
