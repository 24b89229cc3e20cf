// Great-circle distance and IP → location lookup for impossible-travel checks.
import type { IpLocation } from './types.js';

const EARTH_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Haversine distance in km between two coordinates in degrees. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Exact IP first, then the longest configured prefix ending in `.` or `:` (e.g. `61.135.`). */
export function ipLocator(table: Record<string, IpLocation>): (ip: string) => IpLocation | undefined {
  const prefixes = Object.keys(table)
    .filter((k) => k.endsWith('.') || k.endsWith(':'))
    .sort((a, b) => b.length - a.length);
  return (ip) => {
    const exact = Object.prototype.hasOwnProperty.call(table, ip) ? table[ip] : undefined;
    if (exact) return exact;
    for (const p of prefixes) if (ip.startsWith(p)) return table[p];
    return undefined;
  };
}
