export const PLUGIN_ID = 'cloudobs-aiops-app';
export const DATASOURCE_ID = 'cloudobs-aiops-datasource';

/** Base URL of the app's backend resource routes. */
export const RESOURCES_URL = `/api/plugins/${PLUGIN_ID}/resources`;

/** Base URL of the app's own pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

export enum ROUTES {
  Incidents = 'incidents',
  History = 'history',
  Usage = 'usage',
  Watch = 'watch',
}

/** Grafana Live channel on which the backend streams the stages of one explanation. */
export function explainChannelPath(streamId: string): string {
  return `explain/${streamId}`;
}
