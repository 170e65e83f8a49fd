/** Who is making the request, as access rules (`auth()`) and custom code see it. */
export interface Viewer {
  id: string | number;
  roles: string[];
}
