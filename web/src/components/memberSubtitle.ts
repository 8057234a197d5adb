/** What tells namesakes apart in a member picker: organisation and birth year (no ID number). */
export function memberSubtitle(m: { org_name: string; birth_year: number }): string {
  return `${m.org_name} · ${m.birth_year} 年生`
}
