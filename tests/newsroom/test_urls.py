import pytest


@pytest.mark.django_db
def test_robots_txt_points_at_both_sitemaps_and_does_not_name_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.text.splitlines()
    # The admin address may be a secret (DJANGO_ADMIN_URL); its pages carry noindex themselves.
    assert not any("admin" in line for line in lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
