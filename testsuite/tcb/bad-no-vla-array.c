/* SPDX-License-Identifier: MPL-2.0 */
/* expect: no-vla */
/* A run-time sized stack array. */
int sum(int n);
int sum(int n)
{
	int buf[n];
	int s = 0;
	for (int i = 0; i < n; i++) {
		buf[i] = i;
		s += buf[i];
	}
	return s;
}
