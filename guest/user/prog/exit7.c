/* exit7: returns 7 from main; the exit status must reach the parent/VMM. */
int main(void)
{
	return 7;
}
